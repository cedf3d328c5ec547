"""Forms for CPD, renewal and a registrar's decision. They parse what was typed; the rules
(dates, hours, declarations) are checked by the services, which say why in the same words."""

from django import forms

from register.forms import use_plain_messages

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


def _details(label: str = "If you answered yes, give details") -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 4}))


class CpdForm(forms.Form):
    title = forms.CharField(
        label="What did you do?",
        max_length=200,
        help_text="For example, a course, a workshop, reading or supervised practice.",
    )
    completed_on = forms.DateField(
        label="Date you completed it", widget=forms.DateInput(attrs={"type": "date"})
    )
    hours = forms.DecimalField(
        label="Hours",
        max_digits=5,
        decimal_places=1,
        help_text="To the nearest half hour is fine, like 1.5.",
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0.1", "inputmode": "decimal"}),
    )
    reflection = forms.CharField(
        label="What did you learn, and how will it change your practice?",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "title": "Enter the title of the activity",
                "completed_on": "Enter the date you completed it",
                "hours": "Enter the hours it took",
                "reflection": "Write what you learned and how it changes your practice",
            },
        )
        self.fields["completed_on"].error_messages["invalid"] = (
            "Enter the date you completed it as a real date"
        )
        hours = self.fields["hours"].error_messages
        hours["invalid"] = "Enter the hours as a number, like 1.5"
        hours["max_decimal_places"] = "Give the hours to one decimal place, like 1.5"
        hours["max_digits"] = "One activity can count for at most 100 hours"
        hours["max_whole_digits"] = "One activity can count for at most 100 hours"


class RenewalForm(forms.Form):
    has_criminal_record = _yes_no(
        "Do you have a criminal record?",
        "Any conviction, caution, reprimand or warning that would show on a DBS certificate.",
    )
    criminal_record_details = _details()
    has_health_condition = _yes_no(
        "Do you have a health condition that affects your ability to work safely?",
    )
    health_condition_details = _details("If you answered yes, tell us how you manage it at work")
    has_fitness_to_practise_history = _yes_no(
        "Have you ever been investigated or sanctioned by a regulator or register?",
        "A fitness to practise investigation, order or sanction, in any country.",
    )
    fitness_to_practise_details = _details()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "has_criminal_record": (
                    "Select yes if you have a criminal record, or no if you do not"
                ),
                "has_health_condition": (
                    "Select yes if you have a health condition that affects your ability to "
                    "work safely, or no if you do not"
                ),
                "has_fitness_to_practise_history": (
                    "Select yes if you have been investigated or sanctioned by a regulator or "
                    "register, or no if you have not"
                ),
            },
        )


class RenewalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept the renewal"), ("refuse", "Refuse the renewal")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason",
        help_text="The worker will see this.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(
            self,
            {
                "decision": "Select whether to accept or refuse the renewal",
                "reason": "Give a reason for your decision: the worker will see it",
            },
        )
