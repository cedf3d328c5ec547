"""What careers adds to jobs' pages, through the signals jobs sends (jobs/signals.py), so that
jobs never imports careers: the employer's published stories below each of its vacancies, and
on the employer's page of one applicant the quizzes the applicant chose to share, as
"completed" with the reflections they chose, never a number; and a campaign's funnel counting
a trial or a hire of an application that came through the campaign's link."""

from django.dispatch import receiver

from jobs.signals import (
    Section,
    applicant_page_sections_requested,
    application_stage_moved,
    vacancy_page_sections_requested,
)

# --- Stories from care -------------------------------------------------------------------------


@receiver(vacancy_page_sections_requested, dispatch_uid="careers-stories-vacancy-section")
def _stories_beside_a_vacancy(sender, vacancy, **kwargs) -> list[Section]:
    # The page is kept rendered for the public (jobs.page_cache), so careers.services.stories
    # bumps the employer's pages whenever a story is published or taken down.
    from careers.selectors.stories import VACANCY_PAGE_STORIES, stories_published_of_organisation

    stories = list(
        stories_published_of_organisation(organisation_id=vacancy.organisation_id)[
            :VACANCY_PAGE_STORIES
        ]
    )
    if not stories:
        return []
    return [
        Section(
            template="careers/stories/_vacancy_section.html",
            context={
                "id": "worker-stories",
                "heading": f"Stories from people who work at {vacancy.organisation.name}",
                "stories": stories,
            },
            order=60,
        )
    ]


# --- Quizzes ---------------------------------------------------------------------------------


@receiver(applicant_page_sections_requested, dispatch_uid="careers-quiz-applicant-section")
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


# --- Campaigns ---------------------------------------------------------------------------------


@receiver(application_stage_moved, dispatch_uid="careers-campaign-application-moved")
def _campaign_counts_a_stage(sender, application, old, to, **kwargs) -> None:
    # In the transaction that moves the stage, so the count and the move are kept together.
    from careers.services.campaigns import campaign_application_moved

    campaign_application_moved(application=application, to=to)
