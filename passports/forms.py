"""Forms for training records. They parse what was typed; the rules (which worker, which dates,
duplicates) are checked by the services, which say why in the same words."""

from django import forms

from core.forms import DateField, DateInputs, use_plain_messages
from passports import signing
from passports.csv_import import MAX_BYTES
from passports.models import Passport
from passports.selectors import standards_active
from passports.services.passports import AUTOMATIC_REASONS


class StandardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


def _standard_field() -> forms.ModelChoiceField:
    return StandardChoiceField(
        label="Training standard",
        queryset=standards_active(),
        empty_label="Select a standard",
    )


def _completed_on_field() -> DateField:
    return DateField(
        label="Date completed", subject="The date completed", help_text="For example, 27 3 2026"
    )


class ProviderRecordForm(forms.Form):
    registration_number = forms.CharField(
        label="Registration number",
        max_length=20,
        help_text="On the worker's registration, like CR1000001H.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = DateField(
        label="Worker's date of birth",
        subject="The worker's date of birth",
        past=True,
        help_text="For example, 27 3 1985",
        # The worker's, not the provider's own: the browser must not offer that.
        widget=DateInputs(autocomplete="off"),
    )
    standard = _standard_field()
    completed_on = _completed_on_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "registration_number": "Enter the worker's registration number",
                "date_of_birth": "Enter the worker's date of birth",
                "standard": "Select the training standard",
                "completed_on": "Enter the date the training was completed",
            },
        )
        self.fields["standard"].error_messages["invalid_choice"] = "Select the training standard"


class WorkerRecordForm(forms.Form):
    standard = _standard_field()
    completed_on = _completed_on_field()
    provider_name = forms.CharField(
        label="Training provider",
        max_length=200,
        help_text="The organisation that delivered the training.",
    )
    upload = forms.FileField(
        label="Certificate or other evidence",
        help_text="A PDF, JPG or PNG smaller than 10 MB. A registrar checks it before the "
        "training counts.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "standard": "Select the training standard",
                "completed_on": "Enter the date you completed the training",
                "provider_name": "Enter the name of the training provider",
                "upload": "Upload your certificate or other evidence",
            },
        )
        self.fields["standard"].error_messages["invalid_choice"] = "Select the training standard"


class ImportUploadForm(forms.Form):
    upload = forms.FileField(
        label="CSV file",
        help_text=f"Saved as CSV UTF-8, smaller than {MAX_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"upload": "Select a CSV file"})

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        # Django counts the bytes it received, so the size is the file's, not what the
        # browser claimed; the service checks again as it reads.
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB"
            )
        return upload


class ApprovalRequestForm(forms.Form):
    about = forms.CharField(
        label="What training does your organisation deliver?",
        help_text="For example the courses, who delivers them, and any accreditation. A "
        "registrar reads this before approving your organisation.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "about": "Say what training your organisation delivers, for the registrar who "
                "checks it"
            },
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why are you revoking this record?",
        help_text="The worker will see this.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self, {"reason": "Give the reason for revoking the record: the worker will see it"}
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("verify", "Verify: the evidence shows this training"), ("reject", "Reject")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (needed to reject)",
        help_text="The worker will see this.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"decision": "Select whether to verify or reject the record"})


# The same limit as the PDF reader's: a passport PDF is a few hundred kilobytes.
PDF_MAX_BYTES = 5 * 1024 * 1024


class VerifyForm(forms.Form):
    token = forms.CharField(
        label="Passport link or token",
        required=False,
        max_length=signing.MAX_TOKEN_LENGTH,
        help_text=(
            "Paste the link from the passport's QR code, or the passport token (a long line "
            "of letters and numbers that starts with eyJ)."
        ),
        widget=forms.Textarea(
            attrs={"rows": 6, "spellcheck": "false", "autocapitalize": "off", "autocomplete": "off"}
        ),
    )
    pdf = forms.FileField(
        label="Or upload the passport PDF",
        required=False,
        help_text="The PDF the care worker downloaded from the register, up to 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {})
        self.fields["token"].error_messages["max_length"] = (
            "That is too long to be a passport token. Check what was pasted."
        )

    def clean(self):
        cleaned = super().clean()
        token, pdf = cleaned.get("token", "").strip(), cleaned.get("pdf")
        if self.errors:
            return cleaned
        if not token and not pdf:
            self.add_error("token", "Paste a passport link or token, or choose a passport PDF")
        elif token and pdf:
            self.add_error("pdf", "Give either a link or token, or a PDF, not both")
        elif pdf and pdf.size > PDF_MAX_BYTES:
            self.add_error("pdf", "The PDF must be smaller than 5 MB")
        cleaned["token"] = token
        return cleaned


class PassportStatusForm(forms.Form):
    """A registrar's change to one passport."""

    ACTIONS = [
        ("suspend", "Suspend it while something is looked into"),
        ("unsuspend", "Lift the suspension"),
        ("revoke", "Revoke it for good"),
    ]

    action = forms.ChoiceField(
        label="What do you want to do?", choices=ACTIONS, widget=forms.RadioSelect
    )
    reason_code = forms.ChoiceField(
        label="Reason",
        required=False,
        # "Details changed" and "the registration is suspended" are the register's own
        # reasons, given when a change of name or of registration status moves a passport; a
        # registrar never picks them.
        choices=[
            ("", "Choose a reason"),
            *(
                (value, label)
                for value, label in Passport.ReasonCode.choices
                if value not in AUTOMATIC_REASONS
            ),
        ],
        help_text="Needed to suspend or revoke. Verifiers see it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"action": "Choose what to do with this passport"})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in {"suspend", "revoke"} and not cleaned.get("reason_code"):
            self.add_error("reason_code", "Choose a reason")
        return cleaned
