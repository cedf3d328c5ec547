"""Forms for the analysis pages: searching answers, naming themes, publishing the outcome."""

from django import forms

from consultations.models import Theme


class AnswerSearchForm(forms.Form):
    q = forms.CharField(label="Search the answers", required=False, max_length=200)
    question = forms.TypedChoiceField(
        label="Question", required=False, coerce=int, empty_value=None
    )
    theme = forms.TypedChoiceField(label="Theme", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, questions, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", "Every question")] + [
            (question.pk, question.text) for question in questions
        ]
        self.fields["theme"].choices = [("", "Any theme or none")] + [
            (theme.pk, theme.name) for theme in themes
        ]


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="Theme name",
        max_length=Theme._meta.get_field("name").max_length,
        error_messages={"required": "Enter a name for the theme."},
    )


class OutcomeForm(forms.Form):
    outcome_summary = forms.CharField(
        label="You said, we did",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "What people told you, and what your association will do about it. It is "
            "published with the results, for anyone to read."
        ),
        error_messages={
            "required": "Write what you heard and what you will do about it before publishing."
        },
    )
