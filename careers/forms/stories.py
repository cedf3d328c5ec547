"""Stories from care: the nomination form and the association's reason to decline.
careers/services/stories.py checks every value again and alone decides what is kept."""

from django import forms

from careers.models.stories import ALT_TEXT_MAX_LENGTH, QUOTE_MAX_LENGTH
from careers.services.stories import DECLINE_REASON_MAX_LENGTH
from core.forms import use_plain_messages


class StoryNominateForm(forms.Form):
    worker = forms.TypedChoiceField(
        label="Which worker's story is it?",
        coerce=int,
        help_text=(
            "Workers on your staff list. They are asked to consent before anyone else sees it."
        ),
    )
    quote = forms.CharField(
        label="Their quote",
        max_length=QUOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            f"In the worker's own words, up to {QUOTE_MAX_LENGTH} characters: what they do, "
            "and why they do it."
        ),
    )
    role = forms.CharField(
        label="Their role", max_length=120, help_text="For example, senior care assistant."
    )
    in_care_since = forms.IntegerField(
        label="The year they started working in care",
        min_value=1960,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="For example, 2015.",
    )
    photo = forms.FileField(
        label="A photo of them",
        help_text=(
            "A JPEG, PNG or WebP image under 10 MB. We remove the location and camera details "
            "inside it and make it at most 1,200 pixels wide."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_alt = forms.CharField(
        label="Describe the photo",
        max_length=ALT_TEXT_MAX_LENGTH,
        help_text=(
            "For people who cannot see it, such as 'Amira smiling in the garden of Sunrise House'."
        ),
    )

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", "Choose a worker")] + [
            (membership.pk, membership.entry.full_name) for membership in staff
        ]
        use_plain_messages(
            self,
            {
                "worker": "Choose the worker whose story it is",
                "quote": "Write the worker's quote",
                "role": "Write the worker's role",
                "in_care_since": "Enter the year the worker started in care, such as 2015",
                "photo": "Choose a photo of the worker",
                "photo_alt": "Describe the photo for people who cannot see it",
            },
        )


class StoryDeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why is it declined?",
        max_length=DECLINE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The employer is told this, so they can change the story and nominate again.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"reason": "Say why the story is declined"})
