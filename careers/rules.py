"""Who may do what in careers: one module of rules for every part (quizzes, stories,
campaigns), registered with accounts.permissions."""

from accounts.models import Organisation
from accounts.permissions import membership_in, rule

# --- Stories from care (issue 21, part 3: careers/services/stories.py) -------------------------


@rule("story.nominate")
def _story_nominate(user, organisation) -> bool:
    # Any member of the employer, as with its staff list and vacancies. Whether the
    # organisation is verified is checked by the service, which says so in words.
    return (
        organisation is not None
        and organisation.kind == Organisation.Kind.EMPLOYER
        and membership_in(user, organisation) is not None
    )


@rule("story.manage")
def _story_manage(user, story) -> bool:
    # The employer's members follow the stories it nominated; no other employer sees them.
    return story is not None and _story_nominate(user, story.organisation)


@rule("story.consent")
def _story_consent(user, story) -> bool:
    # Only the worker the story is about consents, refuses or withdraws: nobody does it for
    # them, not their employer and not a registrar.
    return story is not None and story.worker_id == user.pk


@rule("story.review")
def _story_review(user, obj) -> bool:
    # The associations approve stories for the whole sector, as they run its consultations:
    # any member of an association organisation.
    return user.memberships.filter(organisation__kind=Organisation.Kind.ASSOCIATION).exists()


# --- Quizzes (careers/services/quizzes.py) ------------------------------------------------------


@rule("quiz.manage")
def _quiz_manage(user, quiz) -> bool:
    # As with consultations, any member of the association that looks after the quiz writes
    # its versions; other associations, employers and registrars do not.
    return (
        quiz is not None
        and quiz.organisation.kind == Organisation.Kind.ASSOCIATION
        and membership_in(user, quiz.organisation) is not None
    )


@rule("quiz.figures")
def _quiz_figures(user, quiz) -> bool:
    return _quiz_manage(user, quiz)


# --- Campaigns (issue 21, part 4: careers/services/campaigns.py) --------------------------------


@rule("campaign.create")
def _campaign_create(user, organisation) -> bool:
    # An association runs a campaign; any of its members may start one, as with consultations.
    return (
        organisation is not None
        and organisation.kind == Organisation.Kind.ASSOCIATION
        and membership_in(user, organisation) is not None
    )


@rule("campaign.manage")
def _campaign_manage(user, campaign) -> bool:
    # The running association's members edit, publish and end it and read its funnel; no
    # other association and no employer does.
    return campaign is not None and _campaign_create(user, campaign.organisation)


@rule("campaign.take_part")
def _campaign_take_part(user, organisation) -> bool:
    # Any member of an employer joins campaigns for it and tags its vacancies, stories and
    # open days, as any member may post its vacancies.
    return (
        organisation is not None
        and organisation.kind == Organisation.Kind.EMPLOYER
        and membership_in(user, organisation) is not None
    )


@rule("campaign_event.manage")
def _campaign_event_manage(user, event) -> bool:
    return event is not None and _campaign_take_part(user, event.organisation)
