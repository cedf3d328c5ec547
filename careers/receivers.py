"""What careers adds to jobs' pages, through the signals jobs sends (jobs/signals.py), so that
jobs never imports careers."""

from django.dispatch import receiver

from jobs.signals import Section, vacancy_page_sections_requested

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
