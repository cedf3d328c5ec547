"""Form pieces every app shares: the accessible renderer and plain error messages."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe


class AccessibleFormRenderer(TemplatesSetting):
    """Our own form templates (templates/django/forms/): an error message sits above its input,
    and Django links the two with aria-describedby="<id>_error"."""

    form_template_name = "django/forms/div.html"
    field_template_name = "django/forms/field.html"


class DateInput(forms.DateInput):
    """A date picker; every form that asks for a date uses this one widget."""

    input_type = "date"


class TextInputsForm(forms.Form):
    """A form of text inputs only that renders itself in Python: the same markup as
    AccessibleFormRenderer's templates, at a tenth of the cost. Rendering two fields through
    the four templates took 0.75 ms of CPU, an eighth of a public register search
    (docs/performance.md). Any other widget, or an explicit template, goes through the
    templates as usual; tests compare the two renderings."""

    def render(self, template_name=None, context=None, renderer=None):
        plain = all(
            type(field.widget) in (forms.TextInput, forms.EmailInput)
            for field in self.fields.values()
        )
        if template_name or context or renderer or not plain:
            return super().render(template_name, context, renderer)
        return mark_safe("".join(_text_field_group(field) for field in self))  # noqa: S308

    __str__ = render
    __html__ = render


def _text_field_group(field: forms.BoundField) -> str:
    """templates/django/forms/div.html and field.html for one text input, with the widget's
    own attributes in the order Django's widget templates write them. Plain f-strings and
    conditional_escape (esc): format_html's lazy wrappers cost as much as the templates they
    replace."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    value = widget.format_value(field.value())
    errors = field.errors
    parts = [f'<div class="form-group{" form-group-error" if errors else ""}">']
    if field.label:
        parts.append(f'<label for="{esc(field.id_for_label)}">{esc(field.label)}</label>')
    if field.help_text:
        # The template marks help text safe too: it is written in code, never by a user.
        helptext_id = f' id="{esc(field.auto_id)}_helptext"' if field.auto_id else ""
        parts.append(f'<div class="hint"{helptext_id}>{field.help_text}</div>')
    if errors:
        messages = "".join(
            f'<p><span class="visually-hidden">Error:</span> {esc(error)}</p>' for error in errors
        )
        parts.append(f'<div class="field-error" id="{esc(field.auto_id)}_error">{messages}</div>')
    parts.append(f'<input type="{esc(widget.input_type)}" name="{esc(field.html_name)}"')
    if value is not None:
        parts.append(f' value="{esc(value)}"')
    parts.append(_attributes({**widget.attrs, **attrs}))
    parts.append("></div>")
    return "".join(parts)


def _attributes(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html writes them: in order, True bare, False left out.
    return "".join(
        f" {esc(name)}" if value is True else f' {esc(name)}="{esc(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def use_plain_messages(form: forms.BaseForm, required: dict[str, str]) -> None:
    """Say what to do ("Enter your email address"), not "This field is required"."""
    for name, message in required.items():
        if name in form.fields:
            form.fields[name].error_messages["required"] = message
            form.fields[name].error_messages.setdefault("invalid", message)

