"""Form pieces every app shares: the accessible renderer and plain error messages."""

from django import forms
from django.forms.renderers import TemplatesSetting


class AccessibleFormRenderer(TemplatesSetting):
    """Our own form templates (templates/django/forms/): an error message sits above its input,
    and Django links the two with aria-describedby="<id>_error"."""

    form_template_name = "django/forms/div.html"
    field_template_name = "django/forms/field.html"


class DateInput(forms.DateInput):
    """A date picker; every form that asks for a date uses this one widget."""

    input_type = "date"


def use_plain_messages(form: forms.BaseForm, required: dict[str, str]) -> None:
    """Say what to do ("Enter your email address"), not "This field is required"."""
    for name, message in required.items():
        if name in form.fields:
            form.fields[name].error_messages["required"] = message
            form.fields[name].error_messages.setdefault("invalid", message)
