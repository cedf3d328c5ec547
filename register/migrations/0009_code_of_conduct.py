"""The code of conduct, versioned, and who accepted which version (issue 19). The first version
is written here: the seven principles every care worker in England already works to, in the
register's own words."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

FIRST_VERSION = {
    "version": 1,
    "title": "Code of conduct for adult social care workers",
    "summary": "The first version of the code.",
    "principles": [
        {
            "heading": "Be accountable for what you do",
            "statements": [
                "You will be able to explain what you did, and what you chose not to do, and "
                "why.",
                "You will only do tasks you have been trained for and can do safely, and say so "
                "when you are asked to do something you are not ready for.",
                "You will follow your employer's agreed ways of working, and tell your manager "
                "when something stops you.",
                "You will tell someone in charge straight away if you think a person is being "
                "harmed, neglected or put at risk.",
                "You will be honest when something goes wrong, including your own mistakes.",
            ],
        },
        {
            "heading": "Protect people's privacy, dignity, rights, health and wellbeing",
            "statements": [
                "You will treat each person as an individual, and support them to make their "
                "own choices about their care and their life.",
                "You will ask before you help or touch someone, and respect their answer.",
                "You will knock before you go in, and keep doors and curtains closed during "
                "personal care.",
                "You will never hurt, mock, neglect or take advantage of anyone you support, or "
                "of their money or belongings.",
                "You will notice changes in a person's health, mood or behaviour, and report "
                "them.",
            ],
        },
        {
            "heading": "Work well with your colleagues",
            "statements": [
                "You will pass on what the next person needs to know at handover, so that care "
                "stays safe.",
                "You will work with nurses, doctors, therapists, families and other workers as "
                "one team around the person.",
                "You will help newer colleagues learn, and ask for help when you need it.",
                "You will speak up if a colleague's practice puts someone at risk.",
            ],
        },
        {
            "heading": "Communicate openly and clearly",
            "statements": [
                "You will speak and write so that the person understands, in their language, "
                "with their aids or signs where you can.",
                "You will listen to people and their families, and pass their worries on to "
                "someone who can act on them.",
                "You will keep records that are accurate, written at the time and easy for "
                "others to read.",
                "You will be open about what you can and cannot do, and never promise what you "
                "cannot give.",
            ],
        },
        {
            "heading": "Keep people's information private",
            "statements": [
                "You will share personal information only with people who need it to give "
                "care, and only as much as they need.",
                "You will not talk about the people you support where others can hear, or "
                "write about them online.",
                "You will keep records, notes and passwords safe, and never leave them where "
                "others can see them.",
                "You will tell people when information must be shared to keep them or others "
                "safe.",
            ],
        },
        {
            "heading": "Keep learning and improving",
            "statements": [
                "You will complete the training your role needs and keep it up to date.",
                "You will think about your own work, ask for feedback and use it.",
                "You will keep a record of what you learn and how it changes your work.",
                "You will suggest better ways of working when you see them.",
            ],
        },
        {
            "heading": "Treat everyone fairly",
            "statements": [
                "You will treat people fairly whatever their age, disability, race, religion, "
                "sex, sexuality, gender identity or background.",
                "You will respect people's culture, beliefs and way of life, and support them "
                "to keep to them.",
                "You will challenge unfair treatment and discrimination, and report it when "
                "you see it.",
                "You will give support in the way that works for each person, so that nobody "
                "is left out.",
            ],
        },
    ],
}


def publish_the_first_version(apps, schema_editor):
    CodeOfConduct = apps.get_model("register", "CodeOfConduct")
    CodeOfConduct.objects.get_or_create(
        version=FIRST_VERSION["version"],
        defaults={key: value for key, value in FIRST_VERSION.items() if key != "version"},
    )


class Migration(migrations.Migration):

    dependencies = [
        ('register', '0008_sanctions_published_with_category_and_end'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CodeOfConduct',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(unique=True)),
                ('title', models.CharField(max_length=200)),
                ('summary', models.TextField(help_text='What changed since the version before.')),
                ('principles', models.JSONField()),
                ('published_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'code of conduct',
                'verbose_name_plural': 'codes of conduct',
                'ordering': ['-version'],
            },
        ),
        migrations.CreateModel(
            name='CodeAcceptance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('how', models.CharField(choices=[('application', 'When applying'), ('sign_in', 'At sign-in'), ('renewal', 'When renewing')], max_length=16)),
                ('accepted_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='code_acceptances', to=settings.AUTH_USER_MODEL)),
                ('code', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='acceptances', to='register.codeofconduct')),
            ],
            options={
                'ordering': ['-accepted_at', '-id'],
            },
        ),
        migrations.AddConstraint(
            model_name='codeofconduct',
            constraint=models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='code_version_from_one'),
        ),
        migrations.AddConstraint(
            model_name='codeacceptance',
            constraint=models.UniqueConstraint(fields=('user', 'code'), name='one_acceptance_per_version'),
        ),
        migrations.RunPython(publish_the_first_version, migrations.RunPython.noop),
    ]
