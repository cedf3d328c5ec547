from django import forms
from django.forms.renderers import TemplatesSetting

from register.models import Membership, Organisation


class AccessibleFormRenderer(TemplatesSetting):
    """Our own form templates (templates/django/forms/): an error message sits above its input,
    and Django links the two with aria-describedby="<id>_error"."""

    form_template_name = "django/forms/div.html"
    field_template_name = "django/forms/field.html"


class SignupDetailsForm(forms.Form):
    """Extra sign-up fields, added to allauth's form through ACCOUNT_SIGNUP_FORM_CLASS."""

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

    def signup(self, request, user):
        """allauth calls this after saving; the adapter has already stored the fields."""


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
