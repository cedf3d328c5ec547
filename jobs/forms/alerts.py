"""Saving a search as a job alert. The search itself travels as its query string, checked
again by jobs.services.alerts (through VacancySearchForm) when the form is sent."""

from django import forms

from core.forms import use_plain_messages
from jobs.models import JobAlert


class AlertForm(forms.Form):
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(
        label="How often do you want an email?",
        choices=[
            (JobAlert.Frequency.DAILY, "Every day, when there are new jobs"),
            (JobAlert.Frequency.WEEKLY, "Once a week, on this day of the week"),
        ],
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send a link to this address first, to check it is yours.",
    )

    def __init__(self, *args, signed_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:
            del self.fields["email"]
        use_plain_messages(
            self,
            {
                "frequency": "Choose how often to be emailed: every day or once a week.",
                "email": "Enter an email address in the right form, like name@example.org.",
            },
        )
