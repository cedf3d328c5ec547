"""Forms of the public verification page and of the registrar's passport page."""

from django import forms

from passports import signing
from passports.models import Passport
from register.forms import use_plain_messages

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
        choices=[("", "Choose a reason"), *Passport.ReasonCode.choices],
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
