from django.db import migrations

CARE_CERTIFICATE = [
    "Understand your role",
    "Your personal development",
    "Duty of care",
    "Equality, diversity, inclusion and human rights",
    "Work in a person-centred way",
    "Communication",
    "Privacy and dignity",
    "Fluids and nutrition",
    "Awareness of mental health and dementia",
    "Safeguarding adults",
    "Safeguarding children",
    "Basic life support",
    "Health and safety",
    "Handling information",
    "Infection prevention and control",
    "Awareness of learning disability and autism",
]

QUALIFICATIONS = [
    ("level-2-adult-social-care-certificate", "Level 2 Adult Social Care Certificate"),
    ("level-2-diploma-adult-care", "Level 2 Diploma in Care (Adult Social Care)"),
    ("level-3-diploma-adult-care", "Level 3 Diploma in Adult Care"),
]

# Refresher periods in months: common sector practice, seeded as editable defaults. Each
# employer's policy or the associations' guidance may set others.
MANDATORY = [
    ("moving-and-handling", "Moving and handling", 12),
    ("safeguarding-adults", "Safeguarding adults", 12),
    ("infection-prevention-and-control", "Infection prevention and control", 12),
    ("basic-life-support", "Basic life support", 12),
    ("fire-safety", "Fire safety", 12),
    ("medication-administration", "Medication administration", 12),
    ("food-hygiene", "Food hygiene", 36),
    ("information-governance", "Information governance", 12),
    ("dementia-awareness", "Dementia awareness", 36),
    ("mental-capacity", "Mental capacity", 36),
]


def seed(apps, schema_editor):
    Standard = apps.get_model("passports", "TrainingStandard")
    for number, title in enumerate(CARE_CERTIFICATE, start=1):
        Standard.objects.get_or_create(
            code=f"care-certificate-{number:02d}",
            defaults={
                "title": f"Care Certificate standard {number}: {title}",
                "category": "care_certificate",
                "awarded_by": "approved_provider",
            },
        )
    for code, title in QUALIFICATIONS:
        Standard.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "category": "qualification",
                "awarded_by": "awarding_organisation",
            },
        )
    for code, title, months in MANDATORY:
        Standard.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "category": "mandatory",
                "awarded_by": "approved_provider",
                "refresher_months": months,
                "refresher_is_default": True,
            },
        )


def seed_requirements(apps, schema_editor):
    # A starting point the associations will refine: everyone needs the mandatory subjects,
    # and people new to care need the Care Certificate.
    Standard = apps.get_model("passports", "TrainingStandard")
    PathwayRole = apps.get_model("register", "PathwayRole")
    roles = list(PathwayRole.objects.all())
    for standard in Standard.objects.filter(category="mandatory"):
        standard.required_for.add(*roles)
    new_to_care = PathwayRole.objects.filter(code="new-to-care").first()
    if new_to_care:
        for standard in Standard.objects.filter(category="care_certificate"):
            standard.required_for.add(new_to_care)


class Migration(migrations.Migration):
    dependencies = [
        ("passports", "0001_initial"),
        ("register", "0002_pathway_roles_and_trigram_index"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(seed_requirements, migrations.RunPython.noop),
    ]
