"""The quizzes' forms: one question's answer, choosing reflections to share, and an
association's draft."""

import json

from django import forms

from careers.quizzes_content import ContentError, content_parse


class AnswerForm(forms.Form):
    option = forms.ChoiceField(widget=forms.RadioSelect, error_messages={"required": ""})

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["option"]
        field.label = question.text
        field.choices = [(option.key, option.text) for option in question.options]
        field.error_messages["required"] = "Choose the answer closest to yours."


class ShareForm(forms.Form):
    application = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label="Which application?",
        error_messages={"required": "Choose the application to share with."},
    )
    question_keys = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Which reflections?",
        help_text="The employer sees that you completed the quiz and the reflections you tick.",
        error_messages={"required": "Choose at least one reflection to share."},
    )

    def __init__(self, *args, applications, reflections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [
            (
                application.pk,
                f"{application.vacancy.title} at {application.vacancy.organisation.name} "
                f"({application.reference})",
            )
            for application in applications
        ]
        self.fields["question_keys"].choices = [
            (
                reflection.question.key,
                f"{reflection.question.text} You chose: {reflection.option.text}",
            )
            for reflection in reflections
        ]


class DraftForm(forms.Form):
    title = forms.CharField(max_length=120)
    written_with = forms.CharField(
        max_length=300,
        label="Written with",
        help_text="Who helped write the words, shown on every page of the quiz.",
    )
    content = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "true"}),
        label="The questions, options and reflections",
        help_text=(
            "In JSON: an intro, an ending, and 8 to 10 questions, each with a key, its words "
            "and 2 to 4 options with feedback (docs/careers.md)."
        ),
    )

    def __init__(self, *args, scenarios: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.scenarios = scenarios

    def clean_content(self):
        try:
            data = json.loads(self.cleaned_data["content"])
        except ValueError as error:
            raise forms.ValidationError(f"This is not valid JSON: {error}.") from None
        try:
            content_parse(data, scenarios=self.scenarios)
        except ContentError as error:
            raise forms.ValidationError(str(error)) from None
        return data
