"""Sign-up, login and organisation forms."""

from allauth.account import forms as allauth_forms
from django import forms

from accounts.models import Membership, Organisation
from core.forms import use_plain_messages


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
        _plain_labels(self, {"email": "Email address"})


def _plain_labels(form: forms.BaseForm, labels: dict[str, str]) -> None:
    """allauth's labels in sentence case and British English ("Current password", not
    "Current Password"; "Forgotten your password?"), without its placeholders, which repeat
    the label and vanish as soon as someone types."""
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)
        if "Forgot your password?" in str(field.help_text):
            field.help_text = str(field.help_text).replace(
                "Forgot your password?", "Forgotten your password?"
            )


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {"login": "Enter your email address", "password": "Enter your password"},
        )
        _plain_labels(
            self, {"login": "Email address", "remember": "Keep me signed in on this device"}
        )


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"email": "Enter your email address, like name@example.com"})
        _plain_labels(self, {"email": "Email address"})


class AddEmailForm(allauth_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"email": "Enter the email address, like name@example.com"})
        _plain_labels(self, {"email": "Email address"})


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "oldpassword": "Enter your current password",
                "password1": "Enter a new password",
                "password2": "Enter the new password again",
            },
        )
        _plain_labels(
            self,
            {
                "oldpassword": "Current password",
                "password1": "New password",
                "password2": "New password (again)",
            },
        )


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self, {"password1": "Enter a password", "password2": "Enter the same password again"}
        )
        _plain_labels(self, {})


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {"password1": "Enter a new password", "password2": "Enter the new password again"},
        )
        _plain_labels(self, {"password1": "New password", "password2": "New password (again)"})


class ReauthenticateForm(allauth_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"password": "Enter your password"})
        _plain_labels(self, {})


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
