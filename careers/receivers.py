"""What careers adds to jobs' pages when jobs asks (jobs/signals.py).

Quizzes: the employer's page of one applicant shows the quizzes the applicant chose to share,
as "completed" with the reflections they chose, never a number."""

from django.dispatch import receiver

from jobs.signals import Section, applicant_page_sections_requested


@receiver(applicant_page_sections_requested)
def _quiz_reflections_for_the_employer(sender, application, user, **kwargs):
    from careers.selectors.quizzes import quiz_shares_for_employer

    quizzes = quiz_shares_for_employer(application=application, user=user)
    if not quizzes:
        return []
    return [
        Section(
            template="careers/quizzes/applicant_section.html",
            context={"quizzes": quizzes},
            order=40,
        )
    ]
