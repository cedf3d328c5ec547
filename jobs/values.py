"""The seven values of the Care Workforce Pathway, defined once.

The pathway's values were written with people who draw on care and support (Think Local Act
Personal for DHSC, 2024). A paid trial's private feedback names the ones each side saw
(jobs/services/trials.py), and the "What would you do?" quiz ties each scenario to one
(careers/quizzes_content.py): both speak the same words. The names follow the pathway; the
descriptions are ours. The keys are stored (a trial's feedback, a quiz version's content), so
a key is never renamed."""

VALUES: dict[str, tuple[str, str]] = {
    "kind": (
        "Kind, compassionate and empathetic",
        "Seeing things from the person's side, and caring about what matters to them.",
    ),
    "honest": (
        "Honest, trustworthy and reliable",
        "Turning up when you said you would, doing what was agreed, and keeping confidences.",
    ),
    "respect": (
        "Respect",
        "Respecting the person, their home, the people around them and the choices they make.",
    ),
    "courageous": (
        "Courageous and principled",
        "Speaking up when something is wrong, and stepping back when the choice is theirs.",
    ),
    "whole-person": (
        "See the whole person",
        "Listening to learn who someone is, and making plans with them, not about them.",
    ),
    "learning": (
        "Flexible, open and learning",
        "Reflecting, asking for feedback and changing how you work.",
    ),
    "proud": (
        "Proud and positive",
        "Taking pride in the work and bringing warmth to the time you spend together.",
    ),
}

# (key, name) pairs, in the pathway's order, for a form's choices.
VALUE_CHOICES: list[tuple[str, str]] = [(key, name) for key, (name, _) in VALUES.items()]
