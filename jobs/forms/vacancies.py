"""The employer's forms for a vacancy: its terms (every one optional here, since a draft may be
saved incomplete; jobs.services.vacancies says what publishing needs), its screening
questions, and the confirmations of marking it filled or withdrawing it.

Questions that apply only sometimes (travel time for home care, the months to stay for a DBS
check paid on that condition) are always on the page, each saying when it applies: the form
works the same without JavaScript."""

from decimal import Decimal

from django import forms

from core.forms import DateField
from jobs.models import ScreeningQuestion, Vacancy
from register.models import PathwayRole

YES_NO = [(True, "Yes"), (False, "No")]

SHIFT_CHOICES = [
    ("works_days", "Days"),
    ("works_nights", "Nights"),
    ("works_weekends", "Weekends"),
]


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def _radios(label: str, choices, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, required=False, widget=forms.RadioSelect, help_text=help_text
    )


def _decimal(label: str, *, places: int, digits: int, help_text: str = "", **bounds):
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        max_digits=digits,
        decimal_places=places,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": f"{label.split(' (')[0]} must be a number",
            "max_decimal_places": f"{label.split(' (')[0]} can have at most {places} "
            f"decimal place{'' if places == 1 else 's'}",
        },
        **bounds,
    )


def _text(label: str, max_length: int, help_text: str = "", **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        required=False,
        widget=forms.TextInput(attrs=attrs) if attrs else forms.TextInput,
        error_messages={
            "max_length": f"{label.split(' (')[0]} must be {max_length} characters or fewer"
        },
    )


class VacancyForm(forms.Form):
    """Every structured term of a vacancy, in the sections the page shows them in."""

    # The job
    title = _text("Job title", 200, "For example, Care assistant or Senior support worker.")
    pathway_role = forms.ModelChoiceField(
        label="Care Workforce Pathway role category",
        queryset=PathwayRole.objects.filter(is_active=True),
        required=False,
        empty_label="Choose a role category",
        help_text="Search and filters use it, and applicants see it.",
    )
    setting = _radios("Setting", Vacancy.Setting.choices)

    # The workplace
    workplace_name = _text("Name of the workplace", 200, "For example, Sunrise House.")
    address_line = _text("Address", 200, "The building and street.", autocomplete="address-line1")
    town = _text("Town or city", 100, autocomplete="address-level2")
    postcode = _text("Postcode", 10, autocomplete="postal-code", spellcheck="false")

    # Pay
    pay_kind = _radios("How is the pay given?", Vacancy.PayKind.choices)
    pay_amount = _decimal(
        "Pay, in pounds",
        places=2,
        digits=9,
        min_value=Decimal("0.01"),
        help_text="The hourly rate, the lowest rate of a band, or the annual pay (the lowest, "
        "for a range). For example, 12.90 or 25000.",
    )
    pay_amount_to = _decimal(
        "Top of the band or range, in pounds (if any)",
        places=2,
        digits=9,
        min_value=Decimal("0.01"),
        help_text="Only for a band of hourly rates or a range of annual pay. Leave it empty "
        "for an exact rate.",
    )

    # Contract and hours
    contract = _radios(
        "Contract",
        Vacancy.Contract.choices,
        help_text='If the contract guarantees no hours, choose "No guaranteed hours": that is '
        "what applicants will read.",
    )
    guaranteed_hours = _decimal(
        "Guaranteed hours a week",
        places=1,
        digits=4,
        min_value=0,
        max_value=168,
        help_text="The hours the contract guarantees. 0 if it guarantees none.",
    )
    typical_hours = _decimal(
        "Typical hours a week",
        places=1,
        digits=4,
        min_value=Decimal("0.5"),
        max_value=168,
        help_text="The hours someone in this job usually works.",
    )

    # Shifts
    shifts = forms.MultipleChoiceField(
        label="When are the shifts?",
        help_text="Choose all that apply.",
        choices=SHIFT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shift_length_hours = _decimal(
        "How long is a shift, in hours?",
        places=1,
        digits=3,
        min_value=Decimal("0.5"),
        max_value=24,
    )

    # Driving and travel
    driving_needed = _yes_no("Are a driving licence and a car needed?")
    mileage_pence_per_mile = _decimal(
        "Mileage rate, in pence a mile",
        places=1,
        digits=4,
        min_value=0,
        max_value=200,
        help_text="Only if a car is needed. 0 if mileage is not paid.",
    )
    travel_time_paid = _yes_no(
        "Home care only: is travel time between visits paid?",
        "Leave this empty for any other setting.",
    )
    unpaid_travel_minutes_per_hour = forms.IntegerField(
        label="Home care with unpaid travel only: minutes of unpaid travel for every paid hour",
        help_text="On average. For example, 10 minutes of travel between two half-hour visits "
        "is 20 minutes for every paid hour. Applicants are shown the hourly rate once this "
        "travel is counted, and it must reach the National Living Wage.",
        required=False,
        min_value=1,
        max_value=60,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "The minutes of unpaid travel must be a whole number"},
    )

    # Sick pay, DBS, visa sponsorship, paid trial
    sick_pay_beyond_statutory = _yes_no("Do you pay sick pay beyond Statutory Sick Pay?")
    sick_pay_details = forms.CharField(
        label="What sick pay do you pay? (if more than statutory)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, full pay for 2 weeks a year after 6 months.",
    )
    dbs_paid_by = _radios("Who pays for the DBS check?", Vacancy.DbsPaidBy.choices)
    dbs_stay_months = forms.IntegerField(
        label="How many months must someone stay for you to pay for the DBS check?",
        help_text='Only if you chose "The employer, if you stay".',
        required=False,
        min_value=1,
        max_value=60,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "The months must be a whole number"},
    )
    visa_sponsorship = _radios("Visa sponsorship", Vacancy.VisaSponsorship.choices)
    paid_trial_offered = _yes_no("Do you offer a paid trial shift?")

    # Dates
    closing_date = DateField(
        label="Closing date",
        required=False,
        help_text="Applications are taken until the end of this day. For example, 27 3 2027.",
    )
    start_date = DateField(label="Start date", required=False, help_text="For example, 1 5 2027.")

    # Description and safeguarding
    description = forms.CharField(
        label="Description of the job",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What the job is like, the people supported, and what you are looking for. "
        "Applicants read the terms above before it.",
        error_messages={"max_length": "The description must be 10,000 characters or fewer"},
    )
    safeguarding_commitment = forms.CharField(
        label="Your safeguarding commitment",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown at the end of the advert, and at the end of every copy sent to other "
        "job sites.",
        error_messages={
            "max_length": "The safeguarding commitment must be 3,000 characters or fewer"
        },
    )

    SECTIONS = [
        ("The job", ["title", "pathway_role", "setting"]),
        ("The workplace", ["workplace_name", "address_line", "town", "postcode"]),
        ("Pay", ["pay_kind", "pay_amount", "pay_amount_to"]),
        ("Contract and hours", ["contract", "guaranteed_hours", "typical_hours"]),
        ("Shifts", ["shifts", "shift_length_hours"]),
        (
            "Driving and travel",
            [
                "driving_needed",
                "mileage_pence_per_mile",
                "travel_time_paid",
                "unpaid_travel_minutes_per_hour",
            ],
        ),
        (
            "Sick pay, DBS check, visa sponsorship and paid trial",
            [
                "sick_pay_beyond_statutory",
                "sick_pay_details",
                "dbs_paid_by",
                "dbs_stay_months",
                "visa_sponsorship",
                "paid_trial_offered",
            ],
        ),
        ("Dates", ["closing_date", "start_date"]),
        ("Description and safeguarding", ["description", "safeguarding_commitment"]),
    ]

    @classmethod
    def initial_from(cls, vacancy: Vacancy) -> dict:
        """The form's starting values from a saved vacancy."""
        initial = {name: getattr(vacancy, name) for name in cls.base_fields if name != "shifts"}
        initial["pathway_role"] = vacancy.pathway_role_id
        initial["shifts"] = [name for name, _ in SHIFT_CHOICES if getattr(vacancy, name)]
        return initial

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def vacancy_data(self) -> dict:
        """What the services write, by the vacancy's own field names."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "shifts"}
        for name, _ in SHIFT_CHOICES:
            data[name] = name in self.cleaned_data["shifts"]
        return data

    def add_problems(self, problems: dict[str, str]) -> None:
        """A service's problems (by the vacancy's field names) next to the fields."""
        for field, message in problems.items():
            name = form_field_for(field)
            self.add_error(name if name in self.fields else None, message)


def form_field_for(vacancy_field: str) -> str:
    """The form field that holds a vacancy field: the three shift fields are one question."""
    return "shifts" if vacancy_field in dict(SHIFT_CHOICES) else vacancy_field


def field_anchor(vacancy_field: str) -> str:
    """The id of the first input of a vacancy field on the form, for an error summary on
    another page to link to."""
    name = form_field_for(vacancy_field)
    field = VacancyForm.base_fields.get(name)
    if field is None:
        return "main"
    grouped = isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple) or (
        isinstance(field, DateField)
    )
    return f"id_{name}_0" if grouped else f"id_{name}"


class QuestionsForm(forms.Form):
    """Up to MAX_SCREENING_QUESTIONS yes/no questions; an empty box is no question."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        longest = ScreeningQuestion._meta.get_field("text").max_length
        for number in range(1, ScreeningQuestion.MAX_SCREENING_QUESTIONS + 1):
            self.fields[f"question_{number}"] = forms.CharField(
                label=f"Question {number}",
                required=False,
                max_length=longest,
                error_messages={
                    "max_length": f"Question {number} must be {longest} characters or fewer"
                },
            )

    def questions(self) -> list[str]:
        texts = (self.cleaned_data.get(name, "") for name in self.fields)
        return [text.strip() for text in texts if text and text.strip()]


class ConfirmForm(forms.Form):
    """Nothing to fill in: the button is the answer (and the POST carries the CSRF token)."""
