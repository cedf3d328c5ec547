"""The one box of a question or a reply. jobs.services.questions checks the text again and
alone decides what is kept."""

from django import forms

from core.forms import use_plain_messages
from jobs.services.questions import MAX_MESSAGE_LENGTH


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Your question",
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"Up to {MAX_MESSAGE_LENGTH:,} characters. Only the employer's staff read it.",
    )

    def __init__(self, *args, label: str = "Your question", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].error_messages["max_length"] = (
            f"Write your message in {MAX_MESSAGE_LENGTH:,} characters or fewer."
        )
        use_plain_messages(self, {"text": "Write your message."})
