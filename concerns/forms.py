"""Forms of the concerns pages. They check only what a form can (a box left empty, too many
files); every rule about a case is the services' to check."""

from django import forms

from concerns.services.raising import MAX_DOCUMENTS
from core.forms import use_plain_messages


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern): cleans to a list, empty
    when nothing was chosen and the field is optional. Each file's content is checked by the
    service that stores it (register.services.evidence.evidence_check)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > MAX_DOCUMENTS:
            raise forms.ValidationError(f"Attach at most {MAX_DOCUMENTS} files.")
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


_FILES_HINT = (
    f"Optional. Up to {MAX_DOCUMENTS} files: PDF, JPG or PNG, each smaller than 10 MB. "
    "The registrars deciding the case will read them."
)


class CaseResponseForm(forms.Form):
    """The worker's response to the allegation."""

    text = forms.CharField(
        label="Your response",
        help_text="Say what happened from your side, and anything the registrars should know.",
        max_length=10000,
        error_messages={"max_length": "Write 10,000 characters or fewer."},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    documents = MultipleFileField(label="Evidence", required=False, help_text=_FILES_HINT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "respond")
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"text": "Write your response to the allegation."})


class InterimResponseForm(forms.Form):
    """The worker's answer to an interim suspension, for the registrar who reviews it."""

    text = forms.CharField(
        label="Your response to the suspension",
        help_text="Why you think the suspension should be lifted, or anything the reviewing "
        "registrar should know.",
        max_length=10000,
        error_messages={"max_length": "Write 10,000 characters or fewer."},
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "interim")
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"text": "Write your response."})


class AppealForm(forms.Form):
    """The worker's appeal against the decision."""

    grounds = forms.CharField(
        label="Why you think the decision is wrong",
        help_text="For example: the facts are wrong, something was not taken into account, or "
        "the outcome is too severe.",
        max_length=10000,
        error_messages={"max_length": "Write 10,000 characters or fewer."},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    documents = MultipleFileField(label="Evidence", required=False, help_text=_FILES_HINT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "appeal")
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"grounds": "Write why you think the decision is wrong."})
