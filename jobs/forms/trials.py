"""The forms of paid job trials. They read what was typed; every rule of a trial (its pay, its
length, the checks a supervised trial needs) is the service's (jobs/services/trials.py)."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from core.forms import DateField, DateTimeField, use_plain_messages
from jobs.models import Application, JobTrial
from jobs.services.trials import DEFAULT_WAIT_FOR_PAY, EmployerCheck, TrialOffer
from jobs.values import VALUE_CHOICES

TEXT = {"rows": 3}


class TrialOfferForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of trial?",
        choices=JobTrial.Kind.choices,
        widget=forms.RadioSelect,
        help_text="An observation session has no personal care and lasts at most 4 hours. A "
        "supervised working trial includes personal care: it needs right to work and an adults' "
        "barred-list check, both passed.",
    )
    starts_at = DateTimeField(
        label="When does it start?",
        subject="The trial's start",
        help_text="For example, 27 3 2027 and 09:30.",
    )
    length_hours = forms.DecimalField(
        label="How long is it, in hours, including induction?",
        max_digits=4,
        decimal_places=2,
        help_text="For example, 3 or 2.5. Every hour is paid.",
    )
    induction_minutes = forms.IntegerField(
        label="Minutes of induction at the start (paid)", min_value=0, initial=0
    )
    hourly_rate = forms.DecimalField(
        label="Hourly rate, in pounds",
        max_digits=6,
        decimal_places=2,
        help_text="At least the vacancy's rate and the National Living Wage on the day.",
    )
    cancellation_pay_hours = forms.DecimalField(
        label="Hours you pay if you cancel within 24 hours",
        max_digits=4,
        decimal_places=2,
        initial=Decimal("2"),
        help_text="At least 2. The offer tells the candidate.",
    )
    place = forms.CharField(label="Where: the address", max_length=300)
    supervisor_name = forms.CharField(label="Who will supervise them?", max_length=200)
    what_you_will_do = forms.CharField(
        label="What will they do?", max_length=2000, widget=forms.Textarea(attrs=TEXT)
    )
    what_to_bring = forms.CharField(
        label="What should they bring?", max_length=2000, widget=forms.Textarea(attrs=TEXT)
    )
    getting_there = forms.CharField(
        label="Parking, or the nearest bus stop", max_length=2000, widget=forms.Textarea(attrs=TEXT)
    )
    right_to_work_checked_on = DateField(
        label="Supervised trial without the register's checks: the date you checked their "
        "right to work (optional otherwise)",
        subject="The date you checked their right to work",
        required=False,
    )
    barred_list_check = forms.ChoiceField(
        label="Your adults' barred-list check (optional otherwise)",
        choices=JobTrial.BarredListCheck.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    barred_list_checked_on = DateField(
        label="The date of the barred-list check's result (optional otherwise)",
        subject="The date of the barred-list check",
        required=False,
    )
    checked_by_name = forms.CharField(
        label="Who made these checks? (optional otherwise)", max_length=200, required=False
    )
    evidence = forms.CharField(
        label="What evidence you saw (optional otherwise)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )

    def __init__(self, *args, application: Application, **kwargs):
        vacancy = application.vacancy
        kwargs.setdefault(
            "initial",
            {
                "place": ", ".join(
                    part
                    for part in (
                        vacancy.workplace_name,
                        vacancy.address_line,
                        vacancy.town,
                        vacancy.postcode,
                    )
                    if part
                ),
                "hourly_rate": vacancy.pay_amount
                if vacancy.pay_kind != vacancy.PayKind.ANNUAL
                else None,
                "cancellation_pay_hours": Decimal("2"),
                "induction_minutes": 0,
            },
        )
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "kind": "Choose the kind of trial",
                "length_hours": "Enter how long the trial lasts, in hours",
                "hourly_rate": "Enter the hourly rate",
                "cancellation_pay_hours": "Enter the hours you pay if you cancel",
                "place": "Enter where the trial is",
                "supervisor_name": "Enter who will supervise the trial",
                "what_you_will_do": "Say what they will do",
                "what_to_bring": "Say what to bring",
                "getting_there": "Say where to park, or the nearest bus stop",
                "induction_minutes": "Enter the minutes of induction, or 0",
            },
        )

    def offer(self) -> TrialOffer:
        data = self.cleaned_data
        check = None
        if data["kind"] == JobTrial.Kind.SUPERVISED and any(
            data.get(name)
            for name in ("right_to_work_checked_on", "barred_list_check", "barred_list_checked_on")
        ):
            check = EmployerCheck(
                right_to_work_checked_on=data.get("right_to_work_checked_on"),
                barred_list_check=data.get("barred_list_check") or "",
                barred_list_checked_on=data.get("barred_list_checked_on"),
                checked_by_name=data.get("checked_by_name") or "",
                evidence=data.get("evidence") or "",
            )
        return TrialOffer(
            kind=data["kind"],
            starts_at=data["starts_at"],
            length_hours=data["length_hours"],
            induction_minutes=data["induction_minutes"],
            hourly_rate=data["hourly_rate"],
            cancellation_pay_hours=data["cancellation_pay_hours"],
            place=data["place"],
            supervisor_name=data["supervisor_name"],
            what_you_will_do=data["what_you_will_do"],
            what_to_bring=data["what_to_bring"],
            getting_there=data["getting_there"],
            employer_check=check,
        )


class TrialRetimeForm(forms.Form):
    starts_at = DateTimeField(
        label="The new start",
        subject="The new start",
        help_text="For example, 27 3 2027 and 09:30.",
    )


class TrialCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling? We tell the candidate.",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"reason": "Tell the candidate why you are cancelling"})


class TrialHoursForm(forms.Form):
    hours = forms.DecimalField(
        label="Hours worked, including induction", max_digits=4, decimal_places=2
    )
    due_on = DateField(
        label="Date the pay is due",
        subject="The date the pay is due",
        help_text="At most a month after the trial. For example, 27 3 2027.",
    )

    def __init__(self, *args, trial: JobTrial, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "hours": trial.length_hours,
                "due_on": timezone.localdate(trial.starts_at) + DEFAULT_WAIT_FOR_PAY,
            },
        )
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"hours": "Enter the hours worked"})


class TrialOutcomeForm(forms.Form):
    to = forms.ChoiceField(
        label="What happens next?",
        choices=[
            (Application.Stage.OFFER, "Offer them the job"),
            (Application.Stage.NOT_PROGRESSED, "Do not progress"),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label="Your message to them (needed if you do not progress them)",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"to": "Choose what happens next"})


class TrialAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Your answer",
        choices=[
            ("accept", "Accept the trial"),
            ("propose", "Ask for another time"),
            ("decline", "Decline the trial"),
        ],
        widget=forms.RadioSelect,
    )
    proposed_time = forms.CharField(
        label="If you want another time: which days and times suit you?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"answer": "Choose your answer"})


class TrialFeedbackForm(forms.Form):
    values = forms.MultipleChoiceField(
        label="Which of the Care Workforce Pathway's values did you see? (optional)",
        choices=VALUE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    text = forms.CharField(
        label="Your feedback",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only the other side reads it, and they may reply. Nothing is scored.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"text": "Write your feedback"})


class TrialReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"text": "Write your reply"})
