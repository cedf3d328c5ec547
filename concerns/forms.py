"""Forms for raising a concern: the first question on /concerns/ (what it is about), the form
anyone fills in, and the shorter one an employer fills in from its staff list; the worker's
answers; and the registrars' forms for each step of deciding a case.

The forms check what a person can put right on the page; concerns.services.raising checks it
all again, and alone decides what is kept (files are checked there, by their content)."""

from django import forms
from django.conf import settings

from concerns.models import Case, InterimOrder, Participant
from concerns.services.cases import SEVERITY
from concerns.services.documents import MAX_DOCUMENTS
from core.forms import DateField, DateInputs, use_plain_messages
from register.models import ConcernCategory
from register.registration_numbers import is_valid as is_valid_registration_number

YES_NO = [(True, "Yes"), (False, "No")]


def _yes_no(label: str, help_text: str = "", required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
    )


def _category() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="What is the concern about?",
        choices=ConcernCategory.choices,
        widget=forms.RadioSelect,
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input. Each is checked by its content in the service, as every
    evidence upload is; here only that there are not too many."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(upload, initial) for upload in files]
        if len(cleaned) > MAX_DOCUMENTS:
            raise forms.ValidationError(
                f"Choose at most {MAX_DOCUMENTS} files. You chose {len(cleaned)}."
            )
        return cleaned


def _documents() -> MultipleFileField:
    return MultipleFileField(
        label="Evidence (optional)",
        required=False,
        help_text=f"Up to {MAX_DOCUMENTS} files, each a PDF, JPG or PNG smaller than 10 MB: "
        "photos, letters, or emails saved as a PDF. To choose more than one, hold down Ctrl "
        "(or Cmd on a Mac) as you click them.",
    )


def _what_happened() -> forms.CharField:
    return forms.CharField(
        label="What happened?",
        max_length=10000,
        help_text="Say what you saw or were told, who was involved, and whether anyone was "
        "hurt. It does not need to be perfect.",
        error_messages={"max_length": "Tell us what happened in 10,000 characters or fewer"},
        widget=forms.Textarea(attrs={"rows": 8}),
    )


def _when_happened() -> forms.CharField:
    return forms.CharField(
        label="Roughly when did it happen?",
        max_length=200,
        help_text="For example, 'last Tuesday evening' or 'several times since March'.",
        error_messages={"max_length": "Say when it happened in 200 characters or fewer"},
    )


def _worker_may_know(required: bool = True) -> forms.TypedChoiceField:
    return _yes_no(
        "May the worker be told who raised the concern?",
        "If you say no, we never tell them who you are, though they may guess from what "
        "happened. If you say yes, it can help them answer it.",
        required=required,
    )


REQUIRED_MESSAGES = {
    "category": "Choose what the concern is about",
    "source": "Choose how you know the worker",
    "what_happened": "Tell us what happened",
    "when_happened": "Tell us when it happened, even roughly",
    "anonymous": "Choose whether you want to stay anonymous",
    "email": "Enter your email address, like name@example.org",
    "worker_may_know": "Choose whether the worker may be told who raised the concern",
}


class CategoryForm(forms.Form):
    """The first question on /concerns/: what the concern is about decides the next page."""

    category = _category()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, REQUIRED_MESSAGES)


class RaiseForm(forms.Form):
    """A concern from anyone, signed in or not. Someone signed in gives neither an email
    address (their account's is used, already confirmed) nor the choice to stay anonymous
    (the concern comes from their account)."""

    category = _category()
    registration_number = forms.CharField(
        label="Their registration number (if you know it)",
        required=False,
        max_length=20,
        help_text="Like CR1000001H. It is on the public register, and on the worker's badge "
        "or card. If you do not know it, give their name and where they work instead.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    worker_name = forms.CharField(
        label="Their name",
        required=False,
        max_length=200,
        help_text="As much of it as you know.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    workplace = forms.CharField(
        label="Where they work",
        required=False,
        max_length=200,
        help_text="The care home, agency or service, and the town.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    source = forms.ChoiceField(
        label="How do you know the worker?",
        choices=[
            (
                Case.Source.PUBLIC,
                "They care, or cared, for me, a relative or a friend, or I am a member of the "
                "public",
            ),
            (Case.Source.COLLEAGUE, "I work, or worked, with them"),
        ],
        widget=forms.RadioSelect,
    )
    what_happened = _what_happened()
    when_happened = _when_happened()
    documents = _documents()
    anonymous = _yes_no(
        "Do you want to stay anonymous?",
        "If you do, we keep neither your name nor your email address, so we cannot ask you "
        "questions about what happened or tell you the outcome. That can make it harder to "
        "act on the concern.",
    )
    name = forms.CharField(
        label="Your name",
        required=False,
        max_length=200,
        help_text="Leave it empty if you stay anonymous.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We email you a link to confirm the concern is from you. If you stay "
        "anonymous, we delete your address once you have clicked it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Your phone number (optional)",
        required=False,
        max_length=40,
        help_text="If you are happy for a registrar to call you.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    worker_may_know = _worker_may_know(required=False)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if signed_in:
            del self.fields["anonymous"]
            del self.fields["email"]
            self.fields["name"].help_text = "As the registrar and, if you agree, the worker see it."
        else:
            may_know = self.fields["worker_may_know"]
            may_know.help_text += " If you stay anonymous, leave this: they are never told."
        use_plain_messages(self, REQUIRED_MESSAGES)

    def clean_registration_number(self):
        number = self.cleaned_data["registration_number"].strip()
        if number and not is_valid_registration_number(number):
            raise forms.ValidationError(
                "Enter a registration number like CR1000001H, or leave it empty and give "
                "their name and where they work"
            )
        return number

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("registration_number")
        if "registration_number" not in self.errors and not number:
            if not cleaned.get("worker_name", "").strip():
                self.add_error(
                    "worker_name", "Give the worker's name, or their registration number"
                )
            if not cleaned.get("workplace", "").strip():
                self.add_error(
                    "workplace", "Give where the worker works, or their registration number"
                )
        anonymous = cleaned.get("anonymous") is True
        if not anonymous:
            if not self.signed_in and not cleaned.get("name", "").strip():
                self.add_error("name", "Enter your name, or choose to stay anonymous")
            if cleaned.get("worker_may_know") is None and "worker_may_know" not in self.errors:
                self.add_error("worker_may_know", REQUIRED_MESSAGES["worker_may_know"])
        return cleaned


class EmployerRaiseForm(forms.Form):
    """A concern an employer raises about a worker on its staff list: the worker is known,
    and so is the employer (its name and the account of the person raising it)."""

    category = _category()
    what_happened = _what_happened()
    when_happened = _when_happened()
    documents = _documents()
    phone = forms.CharField(
        label="A phone number a registrar can call (optional)",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    worker_may_know = _worker_may_know()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, REQUIRED_MESSAGES)
        self.fields["worker_may_know"].help_text = (
            "If you say no, we never tell them that the concern came from you, though they may "
            "guess from what happened."
        )


_FILES_HINT = (
    f"Optional. Up to {MAX_DOCUMENTS} files: PDF, JPG or PNG, each smaller than 10 MB. "
    "The registrars deciding the case will read them."
)


def _written(label: str, help_text: str, rows: int = 8) -> forms.CharField:
    """A box for what the worker writes to the registrars deciding their case."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=10000,
        error_messages={"max_length": "Write 10,000 characters or fewer."},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CaseResponseForm(forms.Form):
    """The worker's response to the allegation."""

    text = _written(
        "Your response",
        "Say what happened from your side, and anything the registrars should know.",
    )
    documents = MultipleFileField(label="Evidence", required=False, help_text=_FILES_HINT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "respond")
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"text": "Write your response to the allegation."})


class InterimResponseForm(forms.Form):
    """The worker's answer to an interim suspension, for the registrar who reviews it."""

    text = _written(
        "Your response to the suspension",
        "Why you think the suspension should be lifted, or anything the reviewing registrar "
        "should know.",
        rows=6,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "interim")
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"text": "Write your response."})


class AppealForm(forms.Form):
    """The worker's appeal against the decision."""

    grounds = _written(
        "Why you think the decision is wrong",
        "For example: the facts are wrong, something was not taken into account, or the "
        "outcome is too severe.",
    )
    documents = MultipleFileField(label="Evidence", required=False, help_text=_FILES_HINT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "appeal")
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"grounds": "Write why you think the decision is wrong."})


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

    def __init__(self, *args, may_share: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        limit_mb = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        self.fields["upload"].help_text = f"A PDF, JPG or PNG, smaller than {limit_mb} MB."
        if not may_share:
            # Only a registrar with a part in the case lets the worker see a document.
            del self.fields["shared_with_worker"]
        use_plain_messages(self, {"upload": "Select a file to add"})
