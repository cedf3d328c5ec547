"""A vacancy's life: written as a draft by a member of a verified employer, published once every
term is given and the pay reaches the pay floor in force, then closed by the clock after its
closing date, or marked filled or withdrawn by the employer (ADR 0031). Every change is
audited as `jobs.vacancy.<verb>`."""

import datetime
from decimal import ROUND_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import require
from core.audit import audit_log
from core.dates import format_day
from core.errors import ApplicationError
from employers.services.verification import employer_require_verified
from jobs.models import ScreeningQuestion, Vacancy
from jobs.pay import (
    PENNY,
    pay_floor_in_force,
    vacancy_counts_unpaid_travel,
    vacancy_effective_hourly_rate,
    vacancy_hourly_rate,
)
from jobs.search import vacancy_search_columns
from jobs.services.applying import application_shares_end_after_close
from register.services.applications import normalise_postcode

Status = Vacancy.Status

# What an employer writes; everything else (status, dates, reference) the services keep.
EDITABLE_FIELDS = [
    "title",
    "pathway_role",
    "setting",
    "workplace_name",
    "address_line",
    "town",
    "postcode",
    "pay_kind",
    "pay_amount",
    "pay_amount_to",
    "contract",
    "guaranteed_hours",
    "typical_hours",
    "works_days",
    "works_nights",
    "works_weekends",
    "shift_length_hours",
    "driving_needed",
    "mileage_pence_per_mile",
    "travel_time_paid",
    "unpaid_travel_minutes_per_hour",
    "sick_pay_beyond_statutory",
    "sick_pay_details",
    "dbs_paid_by",
    "dbs_stay_months",
    "visa_sponsorship",
    "paid_trial_offered",
    "closing_date",
    "start_date",
    "description",
    "safeguarding_commitment",
]

# Text fields are stored without surrounding spaces, and empty rather than None.
_TEXT_FIELDS = {
    field.name
    for field in Vacancy._meta.get_fields()
    if field.name in EDITABLE_FIELDS and field.get_internal_type() in ("CharField", "TextField")
}

# How each status reads after "this vacancy is".
_AS_A_STATE = {
    Status.DRAFT: "still a draft",
    Status.PUBLISHED: "published",
    Status.CLOSED: "closed",
    Status.FILLED: "filled",
    Status.WITHDRAWN: "withdrawn",
}
# How each status reads after "it cannot be".
_AS_A_CHANGE = {
    Status.PUBLISHED: "published",
    Status.CLOSED: "closed",
    Status.FILLED: "marked as filled",
    Status.WITHDRAWN: "withdrawn",
}


class VacancyError(ApplicationError):
    pass


class VacancyInvalid(VacancyError):
    """Something in the vacancy is missing or does not fit; `problems` maps each field to what
    is wrong with it, for a form to show next to the field."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()), field=next(iter(problems)))


class VacancyStatusError(VacancyError):
    pass


class VacancyPayTooLow(VacancyError):
    pass


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _apply(vacancy: Vacancy, data: dict) -> list[str]:
    """Copy `data` onto the vacancy; the names of the fields whose value changed."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not fields an employer writes: {', '.join(sorted(unknown))}")
    if data.get("postcode"):
        try:
            data = {**data, "postcode": normalise_postcode(data["postcode"])}
        except ApplicationError as error:
            raise VacancyInvalid({"postcode": str(error)}) from None
    changed = []
    for name, value in data.items():
        if value is None and name in _TEXT_FIELDS:
            value = ""
        if name in _TEXT_FIELDS and isinstance(value, str):
            value = value.strip()
        if getattr(vacancy, name) != value:
            setattr(vacancy, name, value)
            changed.append(name)
    return changed


def _search_columns_fill(vacancy: Vacancy) -> list[str]:
    """Keep the columns search reads (coordinates, hourly pay, folded words) in step with the
    terms; the names of those that changed, for `update_fields`."""
    changed = []
    for name, value in vacancy_search_columns(vacancy).items():
        if getattr(vacancy, name) != value:
            setattr(vacancy, name, value)
            changed.append(name)
    return changed


def _fit_problems(vacancy: Vacancy) -> dict[str, str]:
    """What does not fit together among the terms given so far: checked on drafts too."""
    problems: dict[str, str] = {}
    try:
        vacancy.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            label = Vacancy._meta.get_field(field).verbose_name
            problems[field] = f"{str(label).capitalize()}: {' '.join(messages)}"
    kind = vacancy.pay_kind
    if kind == Vacancy.PayKind.HOURLY and vacancy.pay_amount_to is not None:
        problems["pay_amount_to"] = (
            "An exact hourly rate has no top rate. Choose a band of hourly rates instead, or "
            "leave the top rate empty."
        )
    if (
        vacancy.pay_amount is not None
        and vacancy.pay_amount_to is not None
        and vacancy.pay_amount_to <= vacancy.pay_amount
    ):
        problems["pay_amount_to"] = "The top of the pay range must be more than its lowest pay."
    guaranteed, typical = vacancy.guaranteed_hours, vacancy.typical_hours
    if guaranteed is not None and typical is not None and guaranteed > typical:
        problems["guaranteed_hours"] = (
            "The guaranteed hours cannot be more than the typical hours a week."
        )
    if vacancy.contract == Vacancy.Contract.NO_GUARANTEED_HOURS and guaranteed:
        problems["guaranteed_hours"] = (
            'A contract with "no guaranteed hours" guarantees 0 hours a week. If you guarantee '
            "hours, choose another contract."
        )
    if (
        vacancy.contract in (Vacancy.Contract.PERMANENT, Vacancy.Contract.FIXED_TERM)
        and guaranteed is not None
        and guaranteed == 0
    ):
        problems["contract"] = (
            'A contract that guarantees 0 hours a week is a contract with "no guaranteed '
            'hours": choose that, or give the hours you guarantee.'
        )
    if vacancy.setting and vacancy.setting != Vacancy.Setting.HOME_CARE:
        if vacancy.travel_time_paid is not None or vacancy.unpaid_travel_minutes_per_hour:
            problems["travel_time_paid"] = (
                "Travel time between visits is asked only of home care. Leave it empty for "
                "this setting."
            )
    if vacancy.travel_time_paid and vacancy.unpaid_travel_minutes_per_hour:
        problems["unpaid_travel_minutes_per_hour"] = (
            "Travel time is paid, so there are no unpaid travel minutes. Leave them empty."
        )
    if (
        vacancy.dbs_stay_months is not None
        and vacancy.dbs_paid_by != Vacancy.DbsPaidBy.EMPLOYER_IF_YOU_STAY
    ):
        problems["dbs_stay_months"] = (
            "Give the months someone must stay only when the employer pays for the DBS check "
            "on that condition."
        )
    return problems


def _latest_closing_date(today: datetime.date) -> datetime.date:
    """A year from today: an advert open for longer is not a vacancy people can wait on, and
    the shares applying makes end a set number of days after the closing date, which must be
    a date there is (31 December 9999 made every application to it fail)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def _missing(vacancy: Vacancy, today: datetime.date) -> dict[str, str]:
    """The terms a published vacancy must state that this one does not (yet)."""
    v = vacancy
    missing: dict[str, str] = {}

    def need(condition: bool, field: str, message: str) -> None:
        if condition and field not in missing:
            missing[field] = message

    need(not v.title, "title", "Enter the job title.")
    need(v.pathway_role_id is None, "pathway_role", "Choose the role category.")
    need(not v.setting, "setting", "Choose the setting.")
    need(not v.workplace_name, "workplace_name", "Enter the name of the workplace.")
    need(not v.address_line, "address_line", "Enter the workplace's address.")
    need(not v.town, "town", "Enter the workplace's town.")
    need(not v.postcode, "postcode", "Enter the workplace's postcode.")
    need(
        not v.pay_kind,
        "pay_kind",
        "Choose how the pay is given: an hourly rate, a band of hourly rates or annual pay.",
    )
    need(v.pay_amount is None, "pay_amount", "Enter the pay.")
    need(
        v.pay_kind == Vacancy.PayKind.HOURLY_BAND and v.pay_amount_to is None,
        "pay_amount_to",
        "Enter the top rate of the pay band.",
    )
    need(not v.contract, "contract", "Choose the contract.")
    need(
        v.guaranteed_hours is None,
        "guaranteed_hours",
        "Enter the hours a week the contract guarantees (0 if it guarantees none).",
    )
    need(v.typical_hours is None, "typical_hours", "Enter the typical hours a week.")
    need(
        not (v.works_days or v.works_nights),
        "works_days",
        "Say whether the shifts are in the day, at night or both.",
    )
    need(v.shift_length_hours is None, "shift_length_hours", "Enter how long a shift is, in hours.")
    need(
        v.driving_needed is None,
        "driving_needed",
        "Say whether a driving licence and a car are needed.",
    )
    need(
        bool(v.driving_needed) and v.mileage_pence_per_mile is None,
        "mileage_pence_per_mile",
        "Enter the mileage rate in pence a mile (0 if mileage is not paid).",
    )
    if v.setting == Vacancy.Setting.HOME_CARE:
        need(
            v.travel_time_paid is None,
            "travel_time_paid",
            "Say whether travel time between visits is paid.",
        )
        need(
            v.travel_time_paid is False and not v.unpaid_travel_minutes_per_hour,
            "unpaid_travel_minutes_per_hour",
            "Enter the minutes of unpaid travel for every paid hour, on average.",
        )
    need(
        v.sick_pay_beyond_statutory is None,
        "sick_pay_beyond_statutory",
        "Say whether you pay sick pay beyond Statutory Sick Pay.",
    )
    need(
        bool(v.sick_pay_beyond_statutory) and not v.sick_pay_details,
        "sick_pay_details",
        "Say what sick pay you pay beyond Statutory Sick Pay.",
    )
    need(not v.dbs_paid_by, "dbs_paid_by", "Say who pays for the DBS check.")
    need(
        v.dbs_paid_by == Vacancy.DbsPaidBy.EMPLOYER_IF_YOU_STAY and v.dbs_stay_months is None,
        "dbs_stay_months",
        "Enter how many months someone must stay for the employer to pay for the DBS check.",
    )
    need(not v.visa_sponsorship, "visa_sponsorship", "Say whether you sponsor visas.")
    need(v.paid_trial_offered is None, "paid_trial_offered", "Say whether you offer a paid trial.")
    need(v.closing_date is None, "closing_date", "Enter the closing date.")
    need(
        v.closing_date is not None and v.closing_date < today,
        "closing_date",
        f"The closing date has passed. Choose {format_day(today)} or a later date.",
    )
    latest = _latest_closing_date(today)
    need(
        v.closing_date is not None and v.closing_date > latest,
        "closing_date",
        f"The closing date is more than a year away. Choose {format_day(latest)} or an earlier "
        "date.",
    )
    need(v.start_date is None, "start_date", "Enter the start date.")
    need(not v.description, "description", "Enter a description of the job.")
    need(
        not v.safeguarding_commitment,
        "safeguarding_commitment",
        "Enter your safeguarding commitment.",
    )
    return missing


def _check_pay(vacancy: Vacancy, today: datetime.date) -> dict:
    """Refuse pay below the floor in force on `today`; what was checked, for the audit log."""
    floor = pay_floor_in_force(today)
    in_force = (
        f"the {floor.name} of {_money(floor.hourly_rate)} an hour in force on {format_day(today)}"
    )
    rate = vacancy_hourly_rate(vacancy)
    if rate < floor.hourly_rate:
        if vacancy.pay_kind == Vacancy.PayKind.ANNUAL:
            said = (
                f"Annual pay of {_money(vacancy.pay_amount)} for {vacancy.typical_hours:g} "
                f"hours a week is {_money(rate)} an hour, below {in_force}."
            )
        elif vacancy.pay_kind == Vacancy.PayKind.HOURLY_BAND:
            said = f"The band's lowest rate of {_money(rate)} an hour is below {in_force}."
        else:
            said = f"The pay of {_money(rate)} an hour is below {in_force}."
        raise VacancyPayTooLow(
            f"{said} Pay at least {_money(floor.hourly_rate)} an hour.", field="pay_amount"
        )
    effective = vacancy_effective_hourly_rate(vacancy)
    if vacancy_counts_unpaid_travel(vacancy) and effective < floor.hourly_rate:
        minutes = vacancy.unpaid_travel_minutes_per_hour
        # The hourly rate whose effective rate just reaches the floor, to the penny above.
        enough = (floor.hourly_rate * (60 + minutes) / 60).quantize(PENNY, rounding=ROUND_UP)
        raise VacancyPayTooLow(
            f"With {minutes} minutes of unpaid travel for every paid hour, the effective hourly "
            f"rate is {_money(effective)}, below {in_force}. Pay travel time, or pay at least "
            f"{_money(enough)} an hour.",
            field="pay_amount",
        )
    return {
        "hourly_rate": rate,
        "effective_hourly_rate": effective,
        "pay_floor": floor.hourly_rate,
        "pay_floor_from": floor.effective_from,
    }


def _check_publishable(vacancy: Vacancy, today: datetime.date) -> dict:
    problems = _missing(vacancy, today)
    if vacancy.postcode and vacancy.latitude is None:
        # Search finds vacancies by distance: one that cannot be placed would never be found.
        problems.setdefault(
            "postcode",
            f"We could not find {vacancy.postcode} or {vacancy.town or 'the town'} on a map, so "
            "people searching nearby would not see this job. Check the postcode and the town.",
        )
    for field, message in _fit_problems(vacancy).items():
        problems.setdefault(field, message)
    if problems:
        raise VacancyInvalid(problems)
    return _check_pay(vacancy, today)


def vacancy_publish_check(*, vacancy: Vacancy, today: datetime.date) -> dict:
    """Raise what publishing `vacancy` on `today` would refuse (VacancyInvalid with every
    problem, or VacancyPayTooLow), without changing anything: for a preview to say it before
    the employer presses "Publish". What was checked, when nothing is refused."""
    return _check_publishable(vacancy, today)


def _require_verified_member(user: User, organisation: Organisation) -> None:
    require(user, "vacancy.manage", organisation)
    employer_require_verified(organisation)


def _move(*, vacancy: Vacancy, to: str, actor, data: dict | None = None) -> None:
    """Save a transition on a locked vacancy, with its audit event."""
    old = vacancy.status
    if to not in Vacancy.TRANSITIONS[old]:
        raise VacancyStatusError(
            f"This vacancy is {_AS_A_STATE[old]}, so it cannot be {_AS_A_CHANGE[to]}."
        )
    now = timezone.now()
    vacancy.status = to
    vacancy.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if to == Status.PUBLISHED:
        vacancy.published_at = now
        fields.append("published_at")
    elif vacancy.closed_at is None:
        # When it stopped taking applications: a vacancy filled after it closed keeps the
        # moment it closed.
        vacancy.closed_at = now
        fields.append("closed_at")
    vacancy.save(update_fields=fields)
    if "closed_at" in fields:
        # Applying shared applicants' records until some days after the closing date; closed
        # earlier, the shares end as many days after today instead.
        application_shares_end_after_close(vacancy=vacancy)
    audit_log(
        action=f"jobs.vacancy.{to}",
        actor=actor,
        target=vacancy,
        old_status=old,
        new_status=to,
        data=data or {},
    )


def vacancy_create(*, organisation: Organisation, user: User, data: dict) -> Vacancy:
    """A new draft vacancy of `organisation`, with whichever terms `data` gives so far."""
    _require_verified_member(user, organisation)
    vacancy = Vacancy(organisation=organisation, created_by=user)
    fields = _apply(vacancy, data)
    problems = _fit_problems(vacancy)
    if problems:
        raise VacancyInvalid(problems)
    _search_columns_fill(vacancy)
    with transaction.atomic():
        vacancy.save()
        audit_log(
            action="jobs.vacancy.created",
            actor=user,
            target=vacancy,
            new_status=vacancy.status,
            data={"fields": sorted(fields)},
        )
    return vacancy


def vacancy_update(*, vacancy: Vacancy, user: User, data: dict) -> Vacancy:
    """Change a draft's terms, or a published vacancy's: a published one must still meet every
    rule for publishing, against the pay floor in force today."""
    _require_verified_member(user, vacancy.organisation)
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if vacancy.status not in (Status.DRAFT, Status.PUBLISHED):
            raise VacancyStatusError(
                f"This vacancy is {_AS_A_STATE[vacancy.status]}, so it cannot be changed."
            )
        changed = _apply(vacancy, data)
        if not changed:
            return vacancy
        search_columns = _search_columns_fill(vacancy)
        if vacancy.status == Status.PUBLISHED:
            _check_publishable(vacancy, timezone.localdate())
        else:
            problems = _fit_problems(vacancy)
            if problems:
                raise VacancyInvalid(problems)
        vacancy.updated_at = timezone.now()
        vacancy.save(update_fields=[*changed, *search_columns, "updated_at"])
        audit_log(
            action="jobs.vacancy.updated",
            actor=user,
            target=vacancy,
            data={"fields": sorted(changed)},
        )
    return vacancy


def vacancy_publish(*, vacancy: Vacancy, user: User) -> Vacancy:
    """Advertise a draft: every term stated, and pay (after unpaid travel, for home care) at
    least the pay floor in force today."""
    _require_verified_member(user, vacancy.organisation)
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if vacancy.status != Status.DRAFT:
            raise VacancyStatusError(
                f"This vacancy is {_AS_A_STATE[vacancy.status]}, so it cannot be "
                "published. Only a draft can."
            )
        # Places may have been loaded, or the employer renamed, since the draft was saved.
        search_columns = _search_columns_fill(vacancy)
        checked = _check_publishable(vacancy, timezone.localdate())
        if search_columns:
            vacancy.save(update_fields=search_columns)
        _move(vacancy=vacancy, to=Status.PUBLISHED, actor=user, data=checked)
    return vacancy


def vacancy_close(*, vacancy: Vacancy, user: User, outcome: str) -> Vacancy:
    """The employer marks the vacancy filled or withdraws it. Any member may, even of an
    organisation no longer verified: taking an advert down is always allowed."""
    if outcome not in (Status.FILLED, Status.WITHDRAWN):
        raise ValueError(f"A vacancy is closed as filled or withdrawn, not {outcome!r}.")
    require(user, "vacancy.manage", vacancy.organisation)
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        _move(vacancy=vacancy, to=outcome, actor=user)
    return vacancy


def vacancies_close_expired(*, today: datetime.date, dry_run: bool = False) -> list[str]:
    """Close every published vacancy whose closing date is before `today`; the references of
    those closed (or that would be). Safe to run again: a closed vacancy is left alone."""
    due = list(
        Vacancy.objects.filter(status=Status.PUBLISHED, closing_date__lt=today)
        .order_by("closing_date", "pk")
        .values_list("pk", "reference")
    )
    if dry_run:
        return [reference for _, reference in due]
    closed = []
    for pk, reference in due:
        # One transaction each: a vacancy the employer changes meanwhile is checked again.
        with transaction.atomic():
            vacancy = Vacancy.objects.select_for_update().get(pk=pk)
            if vacancy.status != Status.PUBLISHED or vacancy.closing_date >= today:
                continue
            _move(
                vacancy=vacancy,
                to=Status.CLOSED,
                actor=None,
                data={"closing_date": vacancy.closing_date},
            )
            closed.append(reference)
    return closed


def vacancy_questions_set(*, vacancy: Vacancy, user: User, questions: list[str]) -> list:
    """Replace the vacancy's yes/no screening questions with `questions`, in order: at most
    MAX_SCREENING_QUESTIONS, none empty or longer than a question may be. Once someone has
    applied they are fixed, so that every applicant answers the same questions."""
    _require_verified_member(user, vacancy.organisation)
    texts = [" ".join(str(text).split()) for text in questions]
    most = ScreeningQuestion.MAX_SCREENING_QUESTIONS
    longest = ScreeningQuestion._meta.get_field("text").max_length
    problems: dict[str, str] = {}
    if len(texts) > most:
        problems["questions"] = (
            f"Ask at most {most} questions. You gave {len(texts)}: take some out."
        )
    seen = set()
    for number, text in enumerate(texts[:most], start=1):
        if not text:
            problems[f"question_{number}"] = (
                f"Question {number} is empty. Write it, or take it out."
            )
        elif len(text) > longest:
            problems[f"question_{number}"] = (
                f"Question {number} is {len(text)} characters long. Keep each question to "
                f"{longest} characters or fewer."
            )
        elif text.casefold() in seen:
            problems[f"question_{number}"] = (
                f"Question {number} is the same as an earlier one. Take it out."
            )
        seen.add(text.casefold())
    if problems:
        raise VacancyInvalid(problems)
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if vacancy.status not in (Status.DRAFT, Status.PUBLISHED):
            raise VacancyStatusError(
                f"This vacancy is {_AS_A_STATE[vacancy.status]}, so its questions cannot be "
                "changed."
            )
        current = list(vacancy.questions.order_by("position", "pk"))
        if [question.text for question in current] == texts:
            return current
        if vacancy.applications.exists():
            raise VacancyError(
                "Someone has already applied, so the questions cannot be changed: every "
                "applicant must be asked the same ones.",
                field="questions",
            )
        vacancy.questions.all().delete()
        saved = ScreeningQuestion.objects.bulk_create(
            ScreeningQuestion(vacancy=vacancy, position=position, text=text)
            for position, text in enumerate(texts, start=1)
        )
        vacancy.updated_at = timezone.now()
        vacancy.save(update_fields=["updated_at"])
        audit_log(
            action="jobs.vacancy.questions_set",
            actor=user,
            target=vacancy,
            data={"before": len(current), "after": len(saved)},
        )
    return saved


def vacancies_withdraw_for_unverified_employer(
    *, organisation: Organisation, by: User | None
) -> list[str]:
    """Withdraw every published vacancy of an employer that is no longer verified: only a
    verified employer may advertise. Drafts stay drafts, since they cannot be published now.
    The references of the vacancies withdrawn."""
    withdrawn = []
    with transaction.atomic():
        for vacancy in (
            Vacancy.objects.select_for_update()
            .filter(organisation=organisation, status=Status.PUBLISHED)
            .order_by("pk")
        ):
            _move(
                vacancy=vacancy,
                to=Status.WITHDRAWN,
                actor=by,
                data={"reason": "employer_verification_withdrawn"},
            )
            withdrawn.append(vacancy.reference)
    return withdrawn
