"""The form an employer records one pre-employment check with."""

from django import forms
from django.utils import timezone

from core.forms import DateField, use_plain_messages
from jobs.models import PreEmploymentCheck


class CheckRecordForm(forms.Form):
    state = forms.ChoiceField(
        label="Where does this check stand?",
        choices=PreEmploymentCheck.State.choices,
        widget=forms.RadioSelect,
    )
    waiting_on = forms.ChoiceField(
        label="If it is to do: who has to act now?",
        choices=PreEmploymentCheck.WaitingOn.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    third_party = forms.CharField(
        label="If a third party: who? (optional otherwise)",
        max_length=200,
        required=False,
        help_text="For example, the DBS, or their last manager.",
    )
    request_to_candidate = forms.CharField(
        label="What the candidate needs to do (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The candidate sees this on their checks page, in these words.",
    )
    notes = forms.CharField(
        label="Notes and evidence seen (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For you and an inspector: the candidate does not see these.",
    )
    checked_by_name = forms.CharField(
        label="If it is done: who checked it?",
        max_length=200,
        required=False,
    )
    checked_on = DateField(
        label="If it is done: the date it was checked",
        subject="The date it was checked",
        required=False,
        help_text="For example, 27 3 2026",
    )
    not_needed_reason = forms.CharField(
        label="If it is not needed: why not?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, check: PreEmploymentCheck, user, **kwargs):
        if not args or args[0] is None:
            kwargs.setdefault(
                "initial",
                {
                    "state": check.state,
                    "waiting_on": check.waiting_on,
                    "third_party": check.third_party,
                    "request_to_candidate": check.request_to_candidate,
                    "notes": check.notes,
                    "not_needed_reason": check.not_needed_reason,
                    # Whoever records a check is most often the one who made it, today.
                    "checked_by_name": check.checked_by_name or user.full_name,
                    "checked_on": check.checked_on or timezone.localdate(),
                },
            )
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"state": "Choose where this check stands"})
