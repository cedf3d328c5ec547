"""Forms for building a consultation and for answering one, with plain error messages."""

from django import forms
from django.utils.html import escape

from accounts.models import Organisation
from consultations.answers import OTHER, answer_error, empty_answer
from consultations.models import Consultation, Option, Question, Theme
from core.forms import DateTimeField, use_plain_messages


class ConsultationDetailsForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="100 words or fewer. People see it in the list of consultations.",
    )
    body = forms.CharField(
        label="What the consultation is about",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The background people need before they answer.",
    )
    privacy_notice = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you keep, why, for how long, and who sees it.",
    )
    opens_at = DateTimeField(
        label="Opens (UK time)",
        subject="The opening date",
        required=False,
        help_text="For example, 1 12 2026 and 9:00. You can leave it empty until you are ready "
        "to set it.",
    )
    closes_at = DateTimeField(
        label="Closes (UK time)",
        subject="The closing date",
        required=False,
        help_text="For example, 31 1 2027 and 23:59. Answers are accepted until this minute "
        "begins, not during it.",
    )
    audience = forms.ChoiceField(
        label="Who can answer?",
        choices=Consultation.Audience.choices,
        widget=forms.RadioSelect,
        initial=Consultation.Audience.ANYONE,
    )
    audience_organisations = forms.ModelMultipleChoiceField(
        label="Organisations whose members can answer",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only if you chose members of chosen organisations.",
    )
    allow_anonymous = forms.BooleanField(
        label="People can answer without signing in",
        required=False,
        initial=True,
        help_text="Only when anyone can answer. Their answers are marked as not verified.",
    )
    allow_edit_until_close = forms.BooleanField(
        label="Signed-in people can change their answers until it closes", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "title": "Enter a title",
                "summary": "Enter a summary of 100 words or fewer",
                "privacy_notice": "Enter a privacy notice",
                "audience": "Choose who can answer",
            },
        )


class PageForm(forms.Form):
    title = forms.CharField(label="Page title", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"title": "Enter a title for the page"})


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of question", choices=Question.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label="Question", max_length=500)
    help_text = forms.CharField(label="Hint (optional)", max_length=500, required=False)
    required = forms.BooleanField(label="People must answer it", required=False, initial=True)
    options = forms.CharField(
        label="Options, one on each line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For choice questions. A scale with no options gets Strongly agree to "
        "Strongly disagree.",
    )
    has_other = forms.BooleanField(label='Add "Other, please specify"', required=False)
    max_choices = forms.IntegerField(
        label="Most answers a person may choose (optional)", required=False, min_value=1
    )
    max_length = forms.IntegerField(
        label="Character limit for text answers (optional)",
        required=False,
        min_value=1,
        max_value=10000,
        help_text="200 for short text and 2000 for long text if you leave it empty.",
    )
    show_if_options = forms.ModelMultipleChoiceField(
        label="Show only if an earlier answer includes (optional)",
        queryset=Option.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose options from one question on an earlier page.",
    )

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self, {"kind": "Choose a type of question", "text": "Enter the question"}
        )
        earlier = (
            Option.objects.filter(
                question__consultation=page.consultation,
                question__page__position__lt=page.position,
                question__kind__in=list(Question.CHOICE_KINDS),
            )
            .select_related("question")
            .order_by("question__page__position", "question__position", "position")
        )
        field = self.fields["show_if_options"]
        field.queryset = earlier
        field.label_from_instance = lambda option: f"{option.question.text}: {option.label}"
        if not earlier.exists():
            del self.fields["show_if_options"]


def _field_name(question: Question) -> str:
    return f"q{question.pk}"


class AnswerPageForm(forms.Form):
    """The questions of one page, as they are shown. `answers()` gives them in the shape
    `consultations.answers` uses."""

    def __init__(self, *args, questions: list[Question], answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            answer = answers.get(str(question.pk)) or empty_answer()
            name = _field_name(question)
            label = question.text + ("" if question.required else " (optional)")
            if question.is_choice:
                choices = [(str(option.pk), option.label) for option in question.options.all()]
                if question.has_other:
                    choices.append((OTHER, "Other, please specify"))
                chosen = [str(option) for option in answer["options"]]
                if answer.get("other"):
                    chosen.append(OTHER)
                if question.kind == Question.Kind.MULTIPLE_CHOICE:
                    hint = escape(question.help_text)
                    if question.max_choices:
                        hint = (
                            hint + " " if hint else ""
                        ) + f"Choose up to {question.max_choices}."
                    self.fields[name] = forms.MultipleChoiceField(
                        label=label,
                        choices=choices,
                        required=False,
                        help_text=hint,
                        widget=forms.CheckboxSelectMultiple,
                        initial=chosen,
                    )
                else:
                    self.fields[name] = forms.ChoiceField(
                        label=label,
                        choices=choices,
                        required=False,
                        help_text=escape(question.help_text),
                        widget=forms.RadioSelect,
                        initial=chosen[0] if chosen else None,
                    )
                if question.has_other:
                    self.fields[f"{name}_other"] = forms.CharField(
                        label="If you chose Other, please specify",
                        required=False,
                        max_length=500,
                        initial=answer.get("other_text", ""),
                    )
            else:
                widget = (
                    forms.Textarea(attrs={"rows": 6})
                    if question.kind == Question.Kind.LONG_TEXT
                    else forms.TextInput()
                )
                # The form templates print help text as HTML: escape the association's words.
                hint = escape(question.help_text)
                if question.max_length:
                    hint = (hint + " " if hint else "") + f"Up to {question.max_length} characters."
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    help_text=hint,
                    widget=widget,
                    initial=answer.get("text", ""),
                    strip=True,
                )
            self.fields[name].question = question

    def answers(self) -> dict:
        result = {}
        for question in self.questions:
            name = _field_name(question)
            value = self.cleaned_data.get(name)
            answer = empty_answer()
            if question.is_choice:
                values = value if isinstance(value, list) else ([value] if value else [])
                answer["options"] = [int(item) for item in values if item != OTHER]
                answer["other"] = OTHER in values
                answer["other_text"] = self.cleaned_data.get(f"{name}_other", "") or ""
            else:
                answer["text"] = value or ""
            result[str(question.pk)] = answer
        return result

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        for question_id, answer in self.answers().items():
            question = next(q for q in self.questions if str(q.pk) == question_id)
            error = answer_error(question, answer)
            if error:
                self.add_error(_field_name(question), error)
        return cleaned


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


class ConnectionLimitForm(forms.Form):
    per_hour = forms.IntegerField(
        label="Answers an hour from one connection before they are flagged",
        min_value=1,
        max_value=100000,
        help_text="For people who do not sign in. Answers past this are still kept, and "
        "flagged for you to count or leave out in the results. 20 unless you change it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["per_hour"]
        message = "Enter a whole number from 1 to 100,000"
        for code in ("required", "invalid", "min_value", "max_value"):
            field.error_messages[code] = message


class FlaggedCountingForm(forms.Form):
    count = forms.TypedChoiceField(
        label="Count the answers flagged “many answers from one connection”?",
        choices=[
            ("yes", "Yes, count them with the others"),
            ("no", "No, leave them out of the results, the exports and the outcome"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to count them"},
    )
