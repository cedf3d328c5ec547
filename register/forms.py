"""Forms for applying, for registrars' checks and decisions, for workers' own details, for CPD
and renewal, and for the code of conduct."""

import re

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts.models import Organisation
from core.errors import ApplicationError
from core.forms import DateField, DateInputs, use_plain_messages
from register.models import Annotation, CodeOfConduct, IdentityCheck, PathwayRole, RegisterEntry
from register.services.applications import normalise_postcode

YES_NO = [(True, "Yes"), (False, "No")]


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )


class AboutYouForm(forms.Form):
    legal_name = forms.CharField(
        label="Full legal name",
        max_length=200,
        help_text="As it appears on your passport or driving licence.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    previous_names = forms.CharField(
        label="Previous names (optional)",
        required=False,
        help_text="Any other names you have been known by, one on each line.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    date_of_birth = DateField(
        label="Date of birth",
        past=True,
        widget=DateInputs(autocomplete="bday"),
        help_text="For example, 27 3 1985",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "legal_name": "Enter your full legal name",
                "date_of_birth": "Enter your date of birth",
            },
        )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age < 16:
            raise forms.ValidationError("You must be 16 or over to join the register")
        if age > 100:
            raise forms.ValidationError("Check your date of birth: it says you are over 100")
        return born


class ContactForm(forms.Form):
    phone = forms.CharField(
        label="Phone number",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    address_line_1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    town = forms.CharField(
        label="Town or city",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "phone": "Enter a phone number",
                "address_line_1": "Enter the first line of your address",
                "town": "Enter your town or city",
                "postcode": "Enter your postcode",
            },
        )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = "".join(ch for ch in phone if ch.isdigit())
        if not 10 <= len(digits) <= 13 or not all(ch in "0123456789 +()-" for ch in phone):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return phone

    def clean_postcode(self):
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except ApplicationError as error:
            raise forms.ValidationError(str(error)) from None


class WorkForm(forms.Form):
    pathway_role = forms.ModelChoiceField(
        label="Your role",
        queryset=PathwayRole.objects.filter(is_active=True),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="The Care Workforce Pathway category that best fits your work.",
    )
    employer = forms.ModelChoiceField(
        label="Your current employer (optional)",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER),
        required=False,
        empty_label="Not listed, or not working in care now",
        help_text="Employers listed here are told when your registration status changes.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"pathway_role": "Select your role"})


class DeclarationsForm(forms.Form):
    has_criminal_record = _yes_no(
        "Do you have any criminal convictions, cautions, reprimands or warnings that are not "
        "protected?",
        "Protected convictions and cautions are filtered from DBS certificates; you do not "
        "need to tell us about them.",
    )
    criminal_record_details = forms.CharField(
        label="If yes, give details", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    has_health_condition = _yes_no(
        "Do you have a health condition that could affect your ability to practise safely?",
        "We ask so that we can talk about support. This is never shown on the public register.",
    )
    health_condition_details = forms.CharField(
        label="If yes, give details", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    has_fitness_to_practise_history = _yes_no(
        "Has another regulator or register ever investigated you, or restricted or removed "
        "your registration?"
    )
    fitness_to_practise_details = forms.CharField(
        label="If yes, give details", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    declares_truth = forms.BooleanField(
        label="I confirm that the information I have given is true and complete"
    )
    consents_to_publication = forms.BooleanField(
        label="I agree that my name, registration number, role and registration status are "
        "published on the public register",
        help_text="The register is public so that people who receive care, and employers, can "
        "check it. Your date of birth, address and contact details are never published.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "has_criminal_record": "Select yes if you have a criminal record to declare",
                "has_health_condition": "Select yes if you have a health condition to declare",
                "has_fitness_to_practise_history": (
                    "Select yes if another regulator has investigated or restricted you"
                ),
                "declares_truth": "Confirm that the information you have given is true",
                "consents_to_publication": "Agree to publication to join the register",
            },
        )

    def clean(self):
        cleaned = super().clean()
        for answer, details in (
            ("has_criminal_record", "criminal_record_details"),
            ("has_health_condition", "health_condition_details"),
            ("has_fitness_to_practise_history", "fitness_to_practise_details"),
        ):
            if cleaned.get(answer) is True and not cleaned.get(details, "").strip():
                self.add_error(details, "Give details, because you answered yes")
            if cleaned.get(answer) is False:
                cleaned[details] = ""
        return cleaned


class RefereeForm(forms.Form):
    """One of the applicant's two referees; the step shows two, prefixed referee-1 and referee-2."""

    name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We email them a short form to fill in.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    relationship = forms.CharField(
        label="How do they know you?",
        max_length=200,
        help_text="For example, your manager at work, or your college tutor.",
    )
    known_for = forms.CharField(
        label="How long have they known you?",
        max_length=100,
        help_text="For example, 3 years.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "name": "Enter the referee's full name",
                "email": "Enter the referee's email address",
                "relationship": "Say how the referee knows you",
                "known_for": "Say how long the referee has known you",
            },
        )
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the right format, like name@example.com"
        )


class ReferenceAnswerForm(forms.Form):
    """The referee's answers. Labels name the applicant, so the form is built for one."""

    knows_applicant = _yes_no("Do you know {name}?")
    how_known = forms.CharField(
        label="If yes, how do you know them, and for how long?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    has_concerns = forms.TypedChoiceField(
        label="Is there any reason {name} should not work with adults who may be at risk?",
        help_text="For example, something about their honesty, their behaviour, or how they "
        "treat people. Answer only if you know them.",
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    concerns_details = forms.CharField(
        label="If yes, tell us why",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    comments = forms.CharField(
        label="Anything else you want to tell us (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirms = forms.BooleanField(
        label="I confirm that what I have said is true, to the best of my knowledge"
    )

    def __init__(self, *args, applicant_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("knows_applicant", "has_concerns"):
            self.fields[name].label = self.fields[name].label.format(name=applicant_name)
        use_plain_messages(
            self,
            {
                "knows_applicant": f"Select yes if you know {applicant_name}",
                "confirms": "Confirm that what you have said is true",
            },
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("knows_applicant"):
            if not cleaned.get("how_known", "").strip():
                self.add_error("how_known", "Say how you know them, and for how long")
            if cleaned.get("has_concerns") is None:
                self.add_error(
                    "has_concerns", "Select yes if there is a reason they should not work in care"
                )
            elif cleaned.get("has_concerns") and not cleaned.get("concerns_details", "").strip():
                self.add_error("concerns_details", "Tell us the reason")
        return cleaned


class ReferenceDecisionForm(forms.Form):
    """A registrar's decision on one answered reference; prefixed with the request's id."""

    outcome = forms.ChoiceField(
        label="Does the reference pass?",
        choices=IdentityCheck.Outcome.choices,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        help_text="Needed to pass a reference whose referee does not know the applicant or "
        "raised a concern.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"outcome": "Select whether the reference passes"})


class EvidenceUploadForm(forms.Form):
    upload = forms.FileField(
        label="Upload a document",
        help_text="A PDF, JPG or PNG, smaller than 10 MB: for example a scan of your passport "
        "and your DBS certificate.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"upload": "Select a file to upload"})


class CheckForm(forms.Form):
    """What every check records: its outcome and evidence. Each type of check has a form of its
    own below with only the fields that type needs, so that a registrar sees those and no
    others, and anything sent for another type is never read."""

    check_type: str = ""

    outcome = forms.ChoiceField(
        label="Outcome", choices=IdentityCheck.Outcome.choices, widget=forms.RadioSelect
    )
    evidence_reference = forms.CharField(
        label="Evidence reference (optional)",
        required=False,
        max_length=200,
        help_text="For example, where the evidence is kept.",
    )
    evidence_file = forms.ModelChoiceField(
        label="Evidence file (optional)", queryset=None, required=False
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    required_messages: dict[str, str] = {}

    def __init__(self, *args, application, **kwargs):
        # Each form's ids start with its type, as several are on one page; the names do not,
        # since each is a form of its own.
        kwargs.setdefault("auto_id", f"{self.check_type}-%s")
        super().__init__(*args, **kwargs)
        self.fields["evidence_file"].queryset = application.worker.evidence_files.all()
        self.fields["evidence_file"].empty_label = "None"
        self.order_fields([*self.type_fields(), "outcome"])
        use_plain_messages(
            self, {"outcome": "Select the outcome of the check", **self.required_messages}
        )

    @classmethod
    def type_fields(cls) -> list[str]:
        return [name for name in cls.base_fields if name not in CheckForm.base_fields]

    @property
    def title(self) -> str:
        return IdentityCheck.Type(self.check_type).label


class PhotoIdCheckForm(CheckForm):
    check_type = IdentityCheck.Type.PHOTO_ID

    document_type = forms.ChoiceField(
        label="Document type", choices=IdentityCheck.DocumentType.choices, widget=forms.RadioSelect
    )
    document_number = forms.CharField(label="Document number")
    document_expires_on = DateField(
        label="Expiry date",
        subject="The photo ID's expiry date",
        help_text="For example, 27 3 2030",
    )

    required_messages = {
        "document_type": "Select the type of document",
        "document_number": "Enter the document number",
        "document_expires_on": "Enter the document's expiry date",
    }


class DbsCheckForm(CheckForm):
    check_type = IdentityCheck.Type.DBS

    certificate_number = forms.CharField(label="Certificate number")
    certificate_issued_on = DateField(
        label="Issue date",
        subject="The DBS certificate's issue date",
        help_text="For example, 27 3 2025",
    )
    update_service_checked_on = DateField(
        label="DBS Update Service: date checked (optional)",
        subject="The date of the Update Service check",
        required=False,
        help_text="For example, 27 3 2026",
    )
    update_service_result = forms.ChoiceField(
        label="DBS Update Service: result",
        choices=[("", "No Update Service check"), *IdentityCheck.UpdateServiceResult.choices],
        required=False,
    )

    required_messages = {
        "certificate_number": "Enter the DBS certificate number",
        "certificate_issued_on": "Enter the certificate's issue date",
    }


class RightToWorkCheckForm(CheckForm):
    check_type = IdentityCheck.Type.RIGHT_TO_WORK

    right_to_work_route = forms.ChoiceField(
        label="How it was checked",
        choices=IdentityCheck.RightToWorkRoute.choices,
        widget=forms.RadioSelect,
        help_text="For a Home Office online check, enter its reference below.",
    )

    required_messages = {"right_to_work_route": "Select how the right to work was checked"}


class ReferenceCheckForm(CheckForm):
    check_type = IdentityCheck.Type.REFERENCE

    referee_name = forms.CharField(label="Referee's name", max_length=200)
    referee_relationship = forms.CharField(label="How they know the worker", max_length=200)

    required_messages = {
        "referee_name": "Enter the referee's name",
        "referee_relationship": "Enter how the referee knows the worker",
    }


# One form for each type of check, in the order the page shows them.
CHECK_FORMS: dict[str, type[CheckForm]] = {
    form.check_type: form
    for form in (PhotoIdCheckForm, DbsCheckForm, RightToWorkCheckForm, ReferenceCheckForm)
}


class RequestInformationForm(forms.Form):
    message = forms.CharField(
        label="What do you need from the worker?", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"message": "Say what information you need"})


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"reason": "Give a reason"})


class CheckResolutionForm(forms.Form):
    """Resolves one failed or referred check; prefixed with the check's id, one per check."""

    reason = forms.CharField(
        label="Why it no longer stands in the way of approval",
        help_text="For example: recorded against the wrong application; cleared on appeal.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self, {"reason": "Give the reason this check no longer stands in the way of approval"}
        )


class SuspendForm(ReasonForm):
    kind = forms.ChoiceField(
        label="Kind of suspension",
        choices=RegisterEntry.SuspensionKind.choices,
        widget=forms.RadioSelect,
    )
    until = DateField(
        label="Suspended until",
        subject="The end date",
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the date the suspension ends"},
    )

    field_order = ["kind", "until", "reason"]

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise forms.ValidationError("The end date must be in the future")
        return until


class RemoveForm(ReasonForm):
    kind = forms.ChoiceField(
        label="Kind of removal", choices=RegisterEntry.RemovalKind.choices, widget=forms.RadioSelect
    )
    field_order = ["kind", "reason"]


class AnnotationForm(ReasonForm):
    # No warning here: a warning is a fitness to practise decision's outcome, made with the end
    # date and category of concern the decision gives it.
    kind = forms.ChoiceField(
        label="Add a",
        choices=[(value, label) for value, label in Annotation.Kind.choices if value != "warning"],
        widget=forms.RadioSelect,
    )
    public_text = forms.CharField(
        label="Text for the public register",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    private_notes = forms.CharField(
        label="Private notes (registrars only)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_health_related = forms.BooleanField(
        label="This is about the worker's health: never publish it", required=False
    )
    field_order = ["kind", "public_text", "private_notes", "is_health_related", "reason"]


class NameChangeForm(forms.Form):
    new_name = forms.CharField(label="Your new full name", max_length=200)
    upload = forms.FileField(
        label="Evidence of your change of name",
        help_text="A marriage or civil partnership certificate, deed poll or similar: a PDF, "
        "JPG or PNG smaller than 10 MB.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {"new_name": "Enter your new name", "upload": "Upload evidence of your change of name"},
        )


class LeaveRegisterForm(forms.Form):
    reason = forms.CharField(
        label="Why are you leaving? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label="I understand that I will no longer be on the register and must apply again to rejoin"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"confirm": "Confirm that you want to leave the register"})


class PublicRegisterSearchForm(forms.Form):
    q = forms.CharField(
        label="Name or registration number",
        max_length=200,
        help_text=(
            "For example, Jane Smith or CR1000001H. "
            "The start of each name is enough: jan smi finds Jane Smith"
        ),
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    town = forms.CharField(
        label="Town (optional)",
        max_length=100,
        required=False,
        help_text="Helps when the name is a common one",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"q": "Enter a name or a registration number"})


# --- CPD, renewal and a registrar's decision on a renewal -----------------------------------------
# They parse what was typed; the rules (dates, hours, declarations) are checked by the
# services, which say why in the same words.

# Renewal forms send "yes" and "no"; the application forms above send "True" and "False".
YES_NO_WORDS = [("yes", "Yes"), ("no", "No")]


def _yes_no_words(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO_WORDS,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


def _details(label: str = "If you answered yes, give details") -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 4}))


class CpdForm(forms.Form):
    title = forms.CharField(
        label="What did you do?",
        max_length=200,
        help_text="For example, a course, a workshop, reading or supervised practice.",
    )
    completed_on = DateField(
        label="Date you completed it",
        subject="The date you completed it",
        help_text="For example, 27 3 2026",
    )
    hours = forms.DecimalField(
        label="Hours",
        max_digits=5,
        decimal_places=1,
        help_text="To the nearest half hour is fine, like 1.5.",
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0.1", "inputmode": "decimal"}),
    )
    reflection = forms.CharField(
        label="What did you learn, and how will it change your practice?",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "title": "Enter the title of the activity",
                "completed_on": "Enter the date you completed it",
                "hours": "Enter the hours it took",
                "reflection": "Write what you learned and how it changes your practice",
            },
        )
        hours = self.fields["hours"].error_messages
        hours["invalid"] = "Enter the hours as a number, like 1.5"
        hours["max_decimal_places"] = "Give the hours to one decimal place, like 1.5"
        hours["max_digits"] = "One activity can count for at most 100 hours"
        hours["max_whole_digits"] = "One activity can count for at most 100 hours"


class RenewalForm(forms.Form):
    has_criminal_record = _yes_no_words(
        "Do you have a criminal record?",
        "Any conviction, caution, reprimand or warning that would show on a DBS certificate.",
    )
    criminal_record_details = _details()
    has_health_condition = _yes_no_words(
        "Do you have a health condition that affects your ability to work safely?",
    )
    health_condition_details = _details("If you answered yes, tell us how you manage it at work")
    has_fitness_to_practise_history = _yes_no_words(
        "Have you ever been investigated or sanctioned by a regulator or register?",
        "A fitness to practise investigation, order or sanction, in any country.",
    )
    fitness_to_practise_details = _details()

    def __init__(self, *args, code=None, **kwargs):
        """`code`: the version of the code of conduct the worker has still to accept, if any;
        the form then asks for it too."""
        super().__init__(*args, **kwargs)
        if code is not None:
            code_tick_add(self, code)
        use_plain_messages(
            self,
            {
                "has_criminal_record": (
                    "Select yes if you have a criminal record, or no if you do not"
                ),
                "has_health_condition": (
                    "Select yes if you have a health condition that affects your ability to "
                    "work safely, or no if you do not"
                ),
                "has_fitness_to_practise_history": (
                    "Select yes if you have been investigated or sanctioned by a regulator or "
                    "register, or no if you have not"
                ),
            },
        )


class RenewalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept the renewal"), ("refuse", "Refuse the renewal")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason",
        help_text="The worker will see this.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "decision": "Select whether to accept or refuse the renewal",
                "reason": "Give a reason for your decision: the worker will see it",
            },
        )


# --- The code of conduct -------------------------------------------------------------------------


def code_tick_add(form: forms.Form, code) -> None:
    """Add the tick that accepts `code` to `form`, with the version it shows in a hidden field:
    what is accepted is the version the person saw. Whether the tick is needed is the service's
    rule (register.services.conduct), so the box is not required here."""
    form.fields["accepts_code"] = forms.BooleanField(
        label=f"I have read the code of conduct (version {code.version}) and I will keep to it",
        required=False,
        help_text=format_html(
            '<a href="{}">Read the code of conduct</a>: what everyone on the register keeps to.',
            reverse("register:code-of-conduct"),
        ),
    )
    form.fields["code_version"] = forms.IntegerField(
        widget=forms.HiddenInput, required=False, initial=code.version
    )


def code_ticked(form: forms.Form):
    """The version the person ticked to accept, or None if they did not tick."""
    if not form.cleaned_data.get("accepts_code"):
        return None
    return CodeOfConduct.objects.filter(version=form.cleaned_data.get("code_version") or 0).first()


class CodeTickForm(forms.Form):
    """The tick on the application's check page; code_tick_add gives it its fields."""

    def __init__(self, *args, code=None, **kwargs):
        super().__init__(*args, **kwargs)
        if code is not None:
            code_tick_add(self, code)


class CodeAcceptForm(forms.Form):
    """The single "I accept" button: the version shown, and where to go next."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


# One principle to a block: its heading on the first line, then one statement on each line.
# Blocks are separated by an empty line. A list marker typed at the start of a statement
# ("-", "*", "•") is dropped.
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|[0-9]+[.)])\s+")


def principles_from_text(text: str) -> list[dict]:
    principles = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        heading = _LIST_MARKER.sub("", lines[0])
        statements = [_LIST_MARKER.sub("", line) for line in lines[1:]]
        principles.append({"heading": heading, "statements": statements})
    return principles


def principles_as_text(principles: list[dict]) -> str:
    return "\n\n".join(
        "\n".join([principle["heading"], *principle["statements"]]) for principle in principles
    )


class CodePublishForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="What has changed",
        help_text="Everyone on the register reads this first, in the email we send them and "
        "before they accept the new version. Say what is new or different, in plain words.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    principles = forms.CharField(
        label="The code",
        help_text="One principle to a block: its heading on the first line, then each thing a "
        "care worker will do on a line of its own, starting “You will”. Leave an empty line "
        "between principles.",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "title": "Enter a title for the code",
                "summary": "Say what has changed",
                "principles": "Write the principles of the code",
            },
        )
