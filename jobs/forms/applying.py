"""The three screens of applying, and withdrawing an application."""

from django import forms

from core.forms import use_plain_messages
from jobs.services.applying import (
    AVAILABILITY_MAX_CHARACTERS,
    PHONE_MAX_CHARACTERS,
    STATEMENT_MAX_WORDS,
    WITHDRAW_MESSAGE_MAX_CHARACTERS,
    words_in,
)

YES_NO = [(True, "Yes"), (False, "No")]


def _yes_no(label: str, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        empty_value=None,
        widget=forms.RadioSelect,
        **kwargs,
    )


class StatementForm(forms.Form):
    """Screen 1: the supporting statement, availability and a phone number."""

    statement = forms.CharField(
        label="Supporting statement",
        help_text=(
            f"Why you want this job, and what you bring to it: your experience of care, paid or "
            f"not. At most {STATEMENT_MAX_WORDS} words."
        ),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    availability = forms.CharField(
        label="When are you available?",
        help_text="The days and times you can work, and the date you could start.",
        max_length=AVAILABILITY_MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        help_text="So the employer can call you about an interview.",
        required=False,
        max_length=PHONE_MAX_CHARACTERS,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "statement": "Write a supporting statement: why you want this job.",
                "availability": "Say when you are available to work, and from when.",
            },
        )

    def clean_statement(self) -> str:
        statement = self.cleaned_data["statement"].strip()
        words = words_in(statement)
        if words > STATEMENT_MAX_WORDS:
            raise forms.ValidationError(
                f"Your supporting statement is {words} words. Keep it to {STATEMENT_MAX_WORDS} "
                f"words or fewer: take out {words - STATEMENT_MAX_WORDS}."
            )
        return statement


class QuestionsForm(forms.Form):
    """Screen 2: the employer's yes/no questions and, for someone on the register, whether the
    outcomes of their identity checks are shared too."""

    def __init__(self, *args, questions, shares_record: bool, organisation_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"question_{question.pk}"
            self.fields[name] = _yes_no(question.text)
            self.fields[name].error_messages["required"] = f"Answer yes or no: {question.text}"
        if shares_record:
            self.fields["shares_identity_checks"] = _yes_no(
                f"Include the outcomes of your identity checks for {organisation_name}?",
                help_text=(
                    "Only whether each check passed and when: never the documents or their numbers."
                ),
            )
            self.fields["shares_identity_checks"].error_messages["required"] = (
                "Say whether to include the outcomes of your identity checks."
            )

    def screening(self) -> dict[int, bool]:
        return {
            question.pk: self.cleaned_data[f"question_{question.pk}"] for question in self.questions
        }


class SendForm(forms.Form):
    """Screen 3: send, saving the details for next time if ticked."""

    save_details = forms.BooleanField(
        label="Save my statement, availability and phone number for my next application",
        required=False,
    )


class WithdrawForm(forms.Form):
    message = forms.CharField(
        label="A message to the employer (optional)",
        help_text="For example, that you took another job. You do not have to say why.",
        required=False,
        max_length=WITHDRAW_MESSAGE_MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
