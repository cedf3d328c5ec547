from allauth.account import forms as allauth_forms
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe

from register.models import Membership, Organisation


class AccessibleFormRenderer(TemplatesSetting):
    """Our own form templates (templates/django/forms/): an error message sits above its input,
    and Django links the two with aria-describedby="<id>_error"."""

    form_template_name = "django/forms/div.html"
    field_template_name = "django/forms/field.html"


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


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form, with the person's name and why they are joining."""

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    joining_as = forms.ChoiceField(
        label="Why are you creating an account?",
        choices=[
            ("care_worker", "I am a care worker and want to join the register"),
            ("organisation", "I work for an employer, training provider or association"),
        ],
        widget=forms.RadioSelect,
    )

    field_order = ["full_name", "email", "password1", "password2", "joining_as"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        use_plain_messages(
            self,
            {
                "full_name": "Enter your full name",
                "email": "Enter your email address, like name@example.com",
                "password1": "Enter a password",
                "password2": "Enter the same password again",
                "joining_as": "Select why you are creating an account",
            },
        )
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["email"].widget.attrs.pop("placeholder", None)


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {"login": "Enter your email address", "password": "Enter your password"},
        )
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"email": "Enter your email address, like name@example.com"})
        self.fields["email"].widget.attrs.pop("placeholder", None)


class OrganisationCreateForm(forms.Form):
    name = forms.CharField(label="Organisation name", max_length=200)
    kind = forms.ChoiceField(
        label="Type of organisation",
        choices=[
            (Organisation.Kind.EMPLOYER, Organisation.Kind.EMPLOYER.label),
            (Organisation.Kind.TRAINING_PROVIDER, Organisation.Kind.TRAINING_PROVIDER.label),
        ],
        widget=forms.RadioSelect,
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Their email address")
    role = forms.ChoiceField(
        label="Their role",
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        help_text="Owners can invite and remove members.",
    )


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Their role",
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        help_text="Owners can invite and remove members, and make and revoke API keys.",
    )
