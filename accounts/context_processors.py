from django.urls import reverse

from accounts.roles import Role, roles_of


def navigation(request):
    """The links in the header, by what the person can do."""
    user = request.user
    links = [
        ("Home", reverse("accounts:home")),
        ("Search the register", "/register/"),
        ("Check a passport", reverse("passports:verify")),
        ("Consultations", reverse("consultations:list")),
    ]
    if user.is_authenticated:
        roles = roles_of(user)
        if Role.CARE_WORKER in roles:
            links.append(("Your registration", reverse("register:worker-dashboard")))
        if roles & {Role.EMPLOYER_MEMBER, Role.TRAINING_PROVIDER_MEMBER, Role.ASSOCIATION_ADMIN}:
            links.append(("Your organisations", reverse("accounts:organisation-list")))
        elif Role.CARE_WORKER not in roles:
            # Someone with no role yet may be setting up an employer; a care worker is not.
            links.append(("Organisations", reverse("accounts:organisation-list")))
        if Role.REGISTRAR in roles:
            links.append(("Registrar", reverse("accounts:registrar-home")))
        links.append(("Your account", reverse("account_email")))
    else:
        roles = set()
    return {"navigation_links": links, "user_roles": _what_they_are(user, roles)}


def _what_they_are(user, roles) -> list[str]:
    """The footer's "Signed in as …: care worker, owner of Sunrise Care, registrar", each
    organisation with the person's own role in it (an owner is not called a member)."""
    if not user.is_authenticated:
        return []
    held = ["care worker"] if Role.CARE_WORKER in roles else []
    held += [
        f"{membership.get_role_display().lower()} of {membership.organisation.name}"
        for membership in user.memberships.select_related("organisation").order_by(
            "organisation__name"
        )
    ]
    if Role.REGISTRAR in roles:
        held.append("registrar")
    return held
