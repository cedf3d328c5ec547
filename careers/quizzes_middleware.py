"""Where people went after a quiz, for the association's figures, without following anyone.

Finishing a quiz puts the completion's id and the time it was finished in the person's own
session (careers/views/quizzes.py), for 30 days at most (less if the session ends first). When
that session later opens a jobs page, or applies for a job while signed in (an application
sent after that time), this ticks the completion's flags, and forgets the ids once both are
ticked. A completion has no name, no user and no session key on it, so the flags say what
happened, never to whom. A request whose session holds no completion costs nothing more than
the session read that other middleware already makes."""

import datetime

from django.utils import timezone

from careers.services.quizzes import quiz_completions_went_on

COMPLETIONS_KEY = "careers_quiz_completions"
VIEWED_KEY = "careers_quiz_viewed_jobs"
JOBS_PATHS = ("/jobs/", "/my-applications/")


def completed_at(text: str) -> datetime.datetime:
    """When a kept completion was finished. A session from before the time was kept holds the
    day alone, read as its start."""
    when = datetime.datetime.fromisoformat(text)
    return timezone.make_aware(when) if timezone.is_naive(when) else when


class QuizNextStepsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(JOBS_PATHS) or response.status_code >= 400:
            return response
        session = getattr(request, "session", None)
        pending = session.get(COMPLETIONS_KEY) if session is not None else None
        if not pending:
            return response
        ids = [pk for pk, _ in pending]
        viewed = not session.get(VIEWED_KEY)
        applied = False
        # An application is sent by a POST under /jobs/ and then listed under /my-applications/:
        # only those requests look for one.
        if request.user.is_authenticated and (
            request.method == "POST" or request.path.startswith("/my-applications/")
        ):
            from jobs.models import Application

            applied = Application.objects.filter(
                applicant=request.user,
                submitted_at__gte=min(completed_at(finished) for _, finished in pending),
            ).exists()
        if viewed or applied:
            quiz_completions_went_on(completion_ids=ids, viewed_jobs=viewed, applied=applied)
        if applied:
            session.pop(COMPLETIONS_KEY, None)
            session.pop(VIEWED_KEY, None)
        elif viewed:
            session[VIEWED_KEY] = True
        return response
