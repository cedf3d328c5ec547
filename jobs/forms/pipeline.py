"""Forms of the employer's pipeline (filters, a move, many "not progressed" at once), of the
employer's interview times, and of the applicant's booking. They check what a person can put
right on the page; jobs/services check it all again and decide."""

from django import forms
from django.utils import timezone

from core.dates import format_moment
from core.forms import DateTimeField, use_plain_messages
from jobs.models import Application, InterviewSlot, ScreeningQuestion
from jobs.selectors.pipeline import SORTS, PipelineFilters
from jobs.services.interviews import MAX_LOCATION_LENGTH
from jobs.services.pipeline import MAX_MESSAGE_LENGTH

Stage = Application.Stage


class PipelineFilterForm(forms.Form):
    """Read from the address (GET), so a filtered pipeline can be bookmarked and exported as
    it is shown. A value that is not one of the choices is ignored, not an error."""

    stage = forms.ChoiceField(label="Stage", required=False)
    verified = forms.ChoiceField(
        label="On the register",
        required=False,
        choices=[("", "Everyone"), ("yes", "On the register"), ("no", "Not on the register")],
    )
    answer = forms.ChoiceField(label="Screening answer", required=False)
    training = forms.BooleanField(
        label="Only those with training due, expired or missing", required=False
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))

    def __init__(self, data=None, *, questions: list[ScreeningQuestion]):
        super().__init__(data)
        self.fields["stage"].choices = [
            ("", "Every stage"),
            ("open", "Every open stage"),
            *Stage.choices,
        ]
        self.fields["answer"].choices = [("", "Any answers")] + [
            (f"{question.pk}:{answer}", f"{question.text} {answer.capitalize()}")
            for question in questions
            for answer in ("yes", "no")
        ]

    def filters(self) -> PipelineFilters:
        data = {}
        for name in self.fields:
            field = self.fields[name]
            try:
                data[name] = field.clean(field.widget.value_from_datadict(self.data, {}, name))
            except forms.ValidationError:
                data[name] = field.to_python("") if name != "training" else False
        question, answer = None, ""
        if data["answer"]:
            question_text, answer = data["answer"].split(":")
            question = int(question_text)
        return PipelineFilters(
            stage=data["stage"] or "",
            verified=data["verified"] or "",
            question=question,
            answer=answer,
            training_attention=bool(data["training"]),
            sort=data["sort"] or "newest",
        )


def _message(label: str, help_text: str, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ApplicantMoveForm(forms.Form):
    to = forms.ChoiceField(label="What happens next?", widget=forms.RadioSelect)
    message = _message(
        "Message to the applicant (needed if you do not progress them)",
        "We email it to them, and they see it with their application. Say why, kindly, and "
        "what they could do next time.",
    )

    def __init__(self, data=None, *, moves: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["to"].choices = moves
        use_plain_messages(self, {"to": "Choose what happens next"})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to") == Stage.NOT_PROGRESSED and not cleaned.get("message", "").strip():
            self.add_error(
                "message",
                "Write a message to the applicant: every application ends with one, so nobody "
                "is left to wonder.",
            )
        return cleaned


class BulkNotProgressForm(forms.Form):
    applications = forms.MultipleChoiceField(
        label="Applicants", widget=forms.CheckboxSelectMultiple
    )
    message = _message(
        "Message to every applicant you ticked",
        "Each of them is emailed this message, and sees it with their application.",
        required=True,
    )

    def __init__(self, data=None, *, references: list[str]):
        super().__init__(data)
        self.fields["applications"].choices = [(reference, reference) for reference in references]
        use_plain_messages(
            self,
            {
                "applications": "Tick at least one applicant",
                "message": "Write a message to the applicants: every application ends with one",
            },
        )
        self.fields["applications"].error_messages["invalid_choice"] = (
            "One of the applicants you ticked is no longer in the list. Tick them again."
        )


class InterviewSlotForm(forms.Form):
    starts_at = DateTimeField(
        label="When does the interview start?",
        subject="The interview start",
        help_text="For example, 27 3 2027 and 14:30.",
    )
    minutes = forms.TypedChoiceField(
        label="How long is it?",
        coerce=int,
        choices=[
            (15, "15 minutes"),
            (20, "20 minutes"),
            (30, "30 minutes"),
            (45, "45 minutes"),
            (60, "1 hour"),
            (90, "1 hour 30 minutes"),
            (120, "2 hours"),
        ],
        initial=30,
    )
    kind = forms.ChoiceField(
        label="How does it happen?",
        choices=InterviewSlot.Kind.choices,
        widget=forms.RadioSelect,
    )
    location = forms.CharField(
        label="Where, or how to join",
        help_text="The address for an interview in person, or the link for a video call; not "
        "needed for a call. We show it to the applicant who books this time.",
        required=False,
        max_length=MAX_LOCATION_LENGTH,
    )

    def __init__(self, data=None):
        super().__init__(data)
        use_plain_messages(self, {"kind": "Choose how the interview happens"})

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at is not None and starts_at <= timezone.now():
            raise forms.ValidationError("The interview start must be in the future")
        return starts_at


class InterviewBookForm(forms.Form):
    slot = forms.TypedChoiceField(label="Choose a time", coerce=int, widget=forms.RadioSelect)

    def __init__(self, data=None, *, slots: list[InterviewSlot]):
        super().__init__(data)
        self.fields["slot"].choices = [
            (
                slot.pk,
                f"{format_moment(slot.starts_at)}, {slot.minutes} minutes, "
                f"{slot.get_kind_display().lower()}",
            )
            for slot in slots
        ]
        use_plain_messages(self, {"slot": "Choose a time for your interview"})
        self.fields["slot"].error_messages["invalid_choice"] = (
            "That time is no longer free. Choose another."
        )
