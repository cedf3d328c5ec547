"""Forms for share codes, employers' checks and staff lists, API keys and webhooks."""

from django import forms

from accounts.models import Organisation
from core.forms import DateField, DateInputs, use_plain_messages
from employers.models import ApiKey, StaffMembership


class ShareCodeCreateForm(forms.Form):
    label = forms.CharField(
        label="Who is it for? (optional)",
        required=False,
        max_length=100,
        help_text="A note for you, like the employer's name. They do not see it.",
    )
    shares_identity_checks = forms.BooleanField(
        label="Also show the outcomes of my identity checks (never the documents or numbers)",
        required=False,
    )


class ShareCodeCheckForm(forms.Form):
    code = forms.CharField(
        label="Share code",
        max_length=20,
        help_text="9 letters and numbers, like ABC-DEF-GHJ. Spaces, dashes and case do not matter.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    date_of_birth = DateField(
        label="The worker's date of birth",
        past=True,
        help_text="For example, 27 3 1985",
        # The worker's, not the employer's own: the browser must not offer that.
        widget=DateInputs(autocomplete="off"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "code": "Enter the share code the worker gave you",
                "date_of_birth": "Enter the worker's date of birth",
            },
        )


class StaffRemoveForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are they leaving your staff list?",
        choices=StaffMembership.RemovalReason.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"reason": "Choose why they are leaving your staff list"})


class ApiKeyCreateForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=100, help_text="The system that will use it, like 'HR system'."
    )
    scopes = forms.MultipleChoiceField(
        label="What the key may do",
        choices=ApiKey.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = DateField(
        label="Expiry date (optional)",
        subject="The expiry date",
        required=False,
        help_text="The key works until the end of this day, for example 31 12 2027. Leave it "
        "empty for a key that does not expire.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {"name": "Give the key a name", "scopes": "Choose at least one thing the key may do"},
        )


class WebhookForm(forms.Form):
    url = forms.URLField(
        label="Webhook address",
        max_length=500,
        assume_scheme="https",
        help_text="We send a signed POST here when a worker's status changes or training expires.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self, {"url": "Enter a full web address, like https://example.org/hooks"}
        )


class SharedNameOrganisationForm(forms.Form):
    """A registrar sets up an organisation whose name another already has, having confirmed
    that it is a different organisation."""

    name = forms.CharField(label="Organisation name", max_length=200)
    kind = forms.ChoiceField(
        label="Kind",
        choices=[
            (Organisation.Kind.EMPLOYER, Organisation.Kind.EMPLOYER.label),
            (Organisation.Kind.TRAINING_PROVIDER, Organisation.Kind.TRAINING_PROVIDER.label),
        ],
    )
    owner_email = forms.EmailField(
        label="Owner's email address", help_text="They must have signed up already."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "name": "Enter the organisation's name",
                "kind": "Choose the kind of organisation",
                "owner_email": "Enter the owner's email address",
            },
        )
