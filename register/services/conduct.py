"""The code of conduct: which version is current, publishing a new one, and accepting it.

Every applicant accepts the current version when they send their application; a new version asks
everyone on the register to accept it at their next sign-in (register.code_prompt) or renewal
(register.services.renewals), whichever comes first (docs/decisions/0021-*.md).
"""

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts.models import User
from accounts.permissions import require
from core.audit import audit_log
from core.errors import ApplicationError
from core.notifications import email_from_template
from register.models import Application, CodeAcceptance, CodeOfConduct, RegisterEntry

How = CodeAcceptance.How

# Limits that keep a version readable on a phone; a code longer than this is a handbook.
MAX_PRINCIPLES = 20
MAX_STATEMENTS = 15
MAX_HEADING = 200
MAX_STATEMENT = 600

# An application someone has sent and a registrar has not yet decided: its applicant is held to
# the code while they wait, as someone on the register is.
SENT_AND_UNDECIDED = [
    Application.Status.SUBMITTED,
    Application.Status.INFORMATION_REQUESTED,
    Application.Status.AWAITING_SECOND_APPROVAL,
]


class CodeOfConductError(ApplicationError):
    """A version that cannot be published or accepted as asked; the message says why."""


def code_current() -> CodeOfConduct | None:
    """The version everyone accepts now: the newest published. None only on a database where no
    version was ever written (the first comes with the register's migrations)."""
    return CodeOfConduct.objects.order_by("-version").first()


def code_versions() -> QuerySet[CodeOfConduct]:
    """Every version, newest first: the public page lists the earlier ones."""
    return CodeOfConduct.objects.order_by("-version")


def _held_to_the_code(user: User) -> bool:
    """Someone on the register (removed people are not), or waiting for a decision on an
    application they sent."""
    return (
        RegisterEntry.objects.filter(worker=user)
        .exclude(status=RegisterEntry.Status.REMOVED)
        .exists()
        or user.applications.filter(status__in=SENT_AND_UNDECIDED).exists()
    )


def code_acceptance_due(user: User) -> CodeOfConduct | None:
    """The current version, when `user` is held to the code and has not accepted it; else
    None. Asked at every sign-in and on the renewal form."""
    if user is None or not user.is_authenticated:
        return None
    current = code_current()
    if current is None:
        return None
    if CodeAcceptance.objects.filter(user=user, code=current).exists():
        return None
    return current if _held_to_the_code(user) else None


def code_accepted_by(user: User) -> CodeAcceptance | None:
    """The person's acceptance of the newest version they accepted, if any."""
    return (
        CodeAcceptance.objects.filter(user=user)
        .select_related("code")
        .order_by("-code__version")
        .first()
    )


def code_accept(*, user: User, code: CodeOfConduct, how: str) -> CodeAcceptance:
    """Record that `user` accepted `code`, which must still be the current version: a page
    that showed an older one is refused, so nobody accepts words they did not see. Accepting the
    same version again changes nothing and returns the first acceptance."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise CodeOfConductError("Sign in to accept the code of conduct.")
    if how not in How.values:
        raise ValueError(f"Unknown way of accepting the code: {how!r}")
    with transaction.atomic():
        current = CodeOfConduct.objects.select_for_update().order_by("-version").first()
        existing = CodeAcceptance.objects.filter(user=user, code=code).first()
        if existing is not None:
            return existing
        if current is None or current.pk != code.pk:
            raise CodeOfConductError(
                f"Version {code.version} of the code of conduct has been replaced by version "
                f"{current.version}. Read version {current.version} and accept that.",
                field="accepts_code",
            )
        try:
            # A savepoint: a double click that records the same acceptance twice keeps the first,
            # and on PostgreSQL the transaction survives the duplicate.
            with transaction.atomic():
                acceptance = CodeAcceptance.objects.create(user=user, code=code, how=how)
        except IntegrityError:
            return CodeAcceptance.objects.get(user=user, code=code)
        audit_log(
            action="register.code.accepted",
            actor=user,
            target=code,
            data={"version": code.version, "how": how, "user_id": user.pk},
        )
    return acceptance


def _principles_checked(principles) -> list[dict]:
    """The principles as stored: each a heading and its statements, trimmed, with the limits
    checked. Raises with a message that says what to change."""
    if not isinstance(principles, list) or not principles:
        raise CodeOfConductError("Write at least one principle.", field="principles")
    if len(principles) > MAX_PRINCIPLES:
        raise CodeOfConductError(
            f"A code can have at most {MAX_PRINCIPLES} principles; this one has {len(principles)}.",
            field="principles",
        )
    checked = []
    for number, principle in enumerate(principles, start=1):
        heading = str(principle.get("heading", "")).strip()
        statements = [str(line).strip() for line in principle.get("statements", [])]
        statements = [line for line in statements if line]
        if not heading:
            raise CodeOfConductError(
                f"Principle {number} has no heading. Write it on the first line of the principle.",
                field="principles",
            )
        if len(heading) > MAX_HEADING:
            raise CodeOfConductError(
                f"The heading of principle {number} is longer than {MAX_HEADING} characters. "
                "Make it shorter.",
                field="principles",
            )
        if not statements:
            raise CodeOfConductError(
                f'Principle {number}, "{heading}", has no statements. Write what a care worker '
                "will do, one statement on each line under the heading.",
                field="principles",
            )
        if len(statements) > MAX_STATEMENTS:
            raise CodeOfConductError(
                f'Principle {number}, "{heading}", has {len(statements)} statements; a principle '
                f"can have at most {MAX_STATEMENTS}.",
                field="principles",
            )
        for statement in statements:
            if len(statement) > MAX_STATEMENT:
                raise CodeOfConductError(
                    f'A statement of principle {number}, "{heading}", is longer than '
                    f"{MAX_STATEMENT} characters. Split it in two.",
                    field="principles",
                )
        checked.append({"heading": heading, "statements": statements})
    return checked


def code_publish(
    *,
    by: User,
    title: str,
    summary: str,
    principles: list[dict],
    expected_version: int | None = None,
) -> CodeOfConduct:
    """Publish the next version of the code, which becomes current at once; everyone on the
    register is emailed that they will be asked to accept it. `expected_version` is the number
    the publisher's page said the new version would have: if another was published since, this
    one is refused, so that a double click or two publishers at once never publish twice."""
    require(by, "code.publish")
    title = (title or "").strip()
    summary = (summary or "").strip()
    if not title:
        raise CodeOfConductError("Enter a title for the code.", field="title")
    if len(title) > 200:
        raise CodeOfConductError("The title must be 200 characters or fewer.", field="title")
    if not summary:
        raise CodeOfConductError(
            "Say what has changed: everyone on the register reads this before accepting the "
            "new version.",
            field="summary",
        )
    principles = _principles_checked(principles)
    with transaction.atomic():
        latest = CodeOfConduct.objects.select_for_update().order_by("-version").first()
        version = latest.version + 1 if latest else 1
        if expected_version is not None and expected_version != version:
            raise CodeOfConductError(
                f"Version {version - 1} was published while you were writing this one. Read "
                f"it, then publish yours as version {version} if it is still needed."
            )
        if latest is not None and latest.title == title and latest.principles == principles:
            raise CodeOfConductError(
                f"This is the same code as version {latest.version}. Change the code before "
                "you publish a new version: everyone on the register would be asked to accept "
                "it again.",
                field="principles",
            )
        try:
            with transaction.atomic():
                code = CodeOfConduct.objects.create(
                    version=version,
                    title=title,
                    summary=summary,
                    principles=principles,
                    published_by=by,
                )
        except IntegrityError:
            # Two publishers at once on a database whose lock did not stop the second.
            raise CodeOfConductError(
                f"Version {version} was published while you were writing this one. Read it, "
                "then publish yours if it is still needed."
            ) from None
        audit_log(
            action="register.code.published",
            actor=by,
            target=code,
            data={"version": version, "title": title, "principles": len(principles)},
        )

        def notify():
            # One task for the whole register: the request that publishes never waits for
            # thousands of emails to be queued (register/tasks.py).
            from register.tasks import code_published_notify

            code_published_notify.enqueue(code_id=code.pk)

        transaction.on_commit(notify)
    return code


def code_published_emails_send(*, code_id: int) -> int:
    """Email everyone on the register (not removed) that version `code_id` waits for their
    acceptance at their next sign-in. Each email goes through the email queue on its own, so
    one bad address stops nobody else's. Nothing is sent for a version that a newer one has
    already replaced: the newer version's own emails say what to accept. Returns how many."""
    code = CodeOfConduct.objects.filter(pk=code_id).first()
    current = code_current()
    if code is None or current is None or current.pk != code.pk:
        return 0
    people = (
        RegisterEntry.objects.exclude(status=RegisterEntry.Status.REMOVED)
        .filter(worker__is_active=True)
        .exclude(worker__code_acceptances__code=code)
        .order_by("pk")
        .values_list("full_name", "worker__email")
    )
    sent = 0
    for name, email in people.iterator(chunk_size=500):
        email_from_template(
            to=[email],
            template="code_of_conduct_published",
            context={"name": name, "code": code},
        )
        sent += 1
    return sent
