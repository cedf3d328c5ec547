"""Campaigns: the association's campaign form and the employer's open day form. The services
(careers/services/campaigns.py) check every value again and alone decide what is kept."""

from django import forms

from careers.services.campaigns import (
    EVENT_MOST_PLACES,
    HASHTAGS_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    CampaignDetails,
    EventDetails,
)
from core.forms import DateField, read_time, use_plain_messages


class CampaignForm(forms.Form):
    name = forms.CharField(
        label="Campaign name",
        max_length=NAME_MAX_LENGTH,
        help_text="For example, Good Care Month, January 2027.",
    )
    starts_on = DateField(label="First day", help_text="For example, 1 1 2027")
    ends_on = DateField(label="Last day", help_text="For example, 31 1 2027")
    area = forms.CharField(
        label="Area",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Towns or postcode districts (the first half of a postcode), separated by commas, "
            "such as Leeds, LS6, LS7. Employers tag vacancies in this area."
        ),
    )
    message = forms.CharField(
        label="Message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the campaign says to people thinking of care work.",
    )
    hashtags = forms.CharField(
        label="Hashtags (optional)",
        max_length=HASHTAGS_MAX_LENGTH,
        required=False,
        help_text="Separated by spaces, such as #GoodCareMonth #CareJobsLeeds.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "name": "Enter the campaign's name",
                "area": "Enter the towns or postcode districts the campaign covers",
                "message": "Write the campaign's message",
            },
        )

    @classmethod
    def initial_from(cls, campaign) -> dict:
        return {
            "name": campaign.name,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "area": ", ".join(place.name for place in campaign.places.all()),
            "message": campaign.message,
            "hashtags": campaign.hashtags,
        }

    def details(self) -> CampaignDetails:
        return CampaignDetails(**self.cleaned_data)


class _TimeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=10, **kwargs)
        self.widget.attrs.update({"autocomplete": "off", "class": "input-width-5"})

    def clean(self, value):
        text = super().clean(value)
        found = read_time(text) if text else None
        if found is None:
            raise forms.ValidationError(
                f"Enter the time {self.label.lower()} in hours and minutes, such as 10:00 or 2:30pm"
            )
        return found


class EventForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=150, help_text="For example, Open day at Sunrise House."
    )
    day = DateField(label="Day", help_text="For example, 14 1 2027")
    starts_at = _TimeField(label="Starts", help_text="For example, 10:00")
    ends_at = _TimeField(label="Ends", help_text="For example, 14:00")
    place = forms.CharField(label="Address", max_length=300, help_text="Where people come to.")
    postcode = forms.CharField(label="Postcode", max_length=10)
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=EVENT_MOST_PLACES,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="How many people can come.",
    )
    description = forms.CharField(
        label="What happens (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "title": "Enter the open day's title",
                "starts_at": "Enter the time it starts, such as 10:00",
                "ends_at": "Enter the time it ends, such as 14:00",
                "place": "Enter the address of the open day",
                "postcode": "Enter the postcode of the open day",
                "capacity": "Enter how many people can come, 1 or more",
            },
        )

    def details(self) -> EventDetails:
        return EventDetails(**self.cleaned_data)
