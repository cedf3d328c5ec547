"""Forms for concerns. Each reads what a person typed and says plainly what is missing; the
rules themselves (who may, when, what an outcome needs) are the services' to check."""

from django import forms
from django.conf import settings

from concerns.models import Case, InterimOrder, Participant
from concerns.services.cases import SEVERITY
from core.forms import DateField, DateInputs, use_plain_messages

# Registrars' forms ----------------------------------------------------------------------------


class ScreenForm(forms.Form):
    """The screening of a received case: the risk, investigate or close, and why. Opening an
    investigation puts the allegation to the worker, in the words written here."""

    risk = forms.ChoiceField(
        label="How serious is the risk to the people the worker cares for?",
        choices=Case.Risk.choices,
        widget=forms.RadioSelect,
        help_text="Serious risk allows an interim suspension while the case is looked into.",
    )
    result = forms.ChoiceField(
        label="What happens next?",
        choices=[
            (Case.ScreeningResult.INVESTIGATE, "Open an investigation: the worker is told"),
            (
                Case.ScreeningResult.NO_CASE,
                "Close the case: nothing the register acts on (the person who raised it is told)",
            ),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="Your reasons",
        help_text="For the case record. Registrars on the case read them.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    allegation = forms.CharField(
        label="The allegation, as the worker will read it (if you open an investigation)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )
    registration_number = forms.CharField(
        label="The worker's registration number",
        required=False,
        max_length=20,
        help_text="The person who raised the concern did not give one: find the worker on the "
        "register from the name and workplace they gave. For example, CR1234567X.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if case.entry_id is not None:
            del self.fields["registration_number"]
        if case.identity_withheld:
            self.fields["allegation"].help_text = (
                "Say what the worker is said to have done, and when. Do not name the person "
                "who raised the concern, or say anything that would identify them: they asked "
                "that the worker not be told who they are."
            )
        else:
            self.fields["allegation"].help_text = (
                "Say what the worker is said to have done, and when. The person who raised the "
                "concern agreed that the worker may know who they are."
            )
        use_plain_messages(
            self,
            {
                "risk": "Choose the level of risk",
                "result": "Choose whether to open an investigation or close the case",
                "reasons": "Write the reasons for your screening decision",
            },
        )

    def clean(self):
        data = super().clean()
        if data.get("result") == Case.ScreeningResult.INVESTIGATE:
            if not (data.get("allegation") or "").strip():
                self.add_error(
                    "allegation",
                    "Write the allegation as the worker will read it, to open an investigation",
                )
            if (
                "registration_number" in self.fields
                and not (data.get("registration_number") or "").strip()
            ):
                self.add_error(
                    "registration_number",
                    "Give the worker's registration number, to open an investigation",
                )
        return data


class InterimSuspendForm(forms.Form):
    reasons = forms.CharField(
        label="Why the worker must be suspended now",
        help_text="The worker will read this. Do not name the person who raised the concern if "
        "they asked not to be named.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"reasons": "Write why the worker must be suspended now"})


class InterimReviewForm(forms.Form):
    review = forms.ChoiceField(
        label="Your review",
        choices=InterimOrder.Review.choices,
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="Your reasons",
        help_text="The worker will read them.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "review": "Choose whether to continue or lift the suspension",
                "reasons": "Write the reasons for your review",
            },
        )


class JoinPanelForm(forms.Form):
    role = forms.ChoiceField(
        choices=[
            (Participant.Role.DECISION_MAKER, "The decision panel"),
            (Participant.Role.APPEAL_DECIDER, "The appeal panel"),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"role": "Choose the decision panel or the appeal panel"})


OUTCOME_HINTS = {
    Case.Outcome.NO_ACTION: "The case closes; it cannot be appealed.",
    Case.Outcome.ADVICE: "Written advice to the worker; nothing is published.",
    Case.Outcome.WARNING: "Published on the register until the end date.",
    Case.Outcome.CONDITIONS: "Published on the register; the worker must keep to them.",
    Case.Outcome.SUSPENSION: "The worker may not practise until the end date.",
    Case.Outcome.REMOVAL: "Takes effect once it can no longer be appealed; the worker is "
    "suspended until then.",
}


class ProposeForm(forms.Form):
    """A proposed outcome with written reasons. On appeal: whether the appeal is upheld and, if
    so, the less serious outcome that replaces the decision."""

    upheld = forms.TypedChoiceField(
        label="Is the appeal upheld?",
        choices=[
            ("yes", "Yes: replace the decision with a less serious outcome"),
            ("no", "No: the decision stands"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect)
    reasons = forms.CharField(
        label="Reasons for the decision",
        help_text="The worker will read them. Do not name the person who raised the concern if "
        "they asked not to be named.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
    )
    published_text = forms.CharField(
        label="For a warning or conditions: the text the public register shows",
        required=False,
        help_text="Plain words about the practice, never about the worker's health.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    until = DateField(
        label="For a warning or a suspension: the day it ends",
        required=False,
        subject="The end date",
        widget=DateInputs(autocomplete="off"),
        help_text="For example, 27 3 2027",
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_appeal = case.status == Case.Status.APPEALED
        choices = Case.Outcome.choices
        if self.on_appeal and case.outcome:
            # An upheld appeal replaces the decision with a less serious outcome.
            less_serious = SEVERITY[: SEVERITY.index(case.outcome)]
            choices = [(value, label) for value, label in choices if value in less_serious]
            self.fields["outcome"].label = "If upheld: the outcome that replaces the decision"
            self.fields["outcome"].required = False
        else:
            del self.fields["upheld"]
        self.fields["outcome"].choices = [
            (value, f"{label}: {OUTCOME_HINTS[value]}") for value, label in choices
        ]
        use_plain_messages(
            self,
            {
                "upheld": "Say whether the appeal is upheld",
                "outcome": "Choose an outcome",
                "reasons": "Write the reasons for the decision",
            },
        )

    def clean(self):
        data = super().clean()
        if self.on_appeal and data.get("upheld") and not data.get("outcome"):
            self.add_error("outcome", "Choose the outcome that replaces the decision")
        return data


class SecondOpinionForm(forms.Form):
    """The second registrar's answer to a proposal: agree, or not with reasons."""

    answer = forms.ChoiceField(choices=[("agree", "Agree"), ("decline", "Do not agree")])
    reasons = forms.CharField(
        label="If you do not agree: why",
        required=False,
        help_text="The registrar who proposed the decision reads this, and may propose again.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"answer": "Choose Agree or Do not agree"})

    def clean(self):
        data = super().clean()
        if data.get("answer") == "decline" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", "Write why you do not agree")
        return data


class DocumentAddForm(forms.Form):
    upload = forms.FileField(
        label="Document",
    )
    shared_with_worker = forms.BooleanField(
        label="Let the worker see this document, so that they can answer it",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_mb = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        self.fields["upload"].help_text = f"A PDF, JPG or PNG, smaller than {limit_mb} MB."
        use_plain_messages(self, {"upload": "Select a file to add"})
