from django.conf import settings
from django.urls import reverse

from accounts.roles import Role, roles_and_memberships


def navigation(request):
    """The links in the header, by what the person can do, and the footer's account of who is
    signed in. One query for both. And the address for help, which every page's footer gives."""
    user = request.user
    roles, memberships = roles_and_memberships(user)
    links = [
        ("Home", reverse("accounts:home")),
        ("Search the register", "/register/"),
        ("Check a passport", reverse("passports:verify")),
        ("Find a job", reverse("jobs:search")),
        ("Consultations", reverse("consultations:list")),
    ]
    if user.is_authenticated:
        if Role.CARE_WORKER in roles:
            links.append(("Your registration", reverse("register:worker-dashboard")))
        if Role.CARE_WORKER in roles or not roles:
            # Anyone may apply for a job; people who only run an organisation rarely do.
            links.append(("Your applications", reverse("jobs:my-applications")))
        if roles & {Role.EMPLOYER_MEMBER, Role.TRAINING_PROVIDER_MEMBER, Role.ASSOCIATION_ADMIN}:
            links.append(("Your organisations", reverse("accounts:organisation-list")))
        elif Role.CARE_WORKER not in roles:
            # Someone with no role yet may be setting up an employer; a care worker is not.
            links.append(("Organisations", reverse("accounts:organisation-list")))
        if Role.REGISTRAR in roles:
            links.append(("Registrar", reverse("accounts:registrar-home")))
        links.append(("Your account", reverse("account_email")))
    return {
        "navigation_links": links,
        "user_roles": _what_they_are(roles, memberships),
        "support_email": settings.SUPPORT_EMAIL,
    }


def _what_they_are(roles, memberships) -> list[str]:
    """The footer's "Signed in as …: care worker, owner of Sunrise Care, registrar", each
    organisation with the person's own role in it (an owner is not called a member)."""
    held = ["care worker"] if Role.CARE_WORKER in roles else []
    held += [
        f"{membership.get_role_display().lower()} of {membership.organisation.name}"
        for membership in memberships
    ]
    if Role.REGISTRAR in roles:
        held.append("registrar")
    return held
