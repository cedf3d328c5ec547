"""Applications get random references in place of their sequential numbers (issue 18, item 7):
existing applications are each given one here. Referees and the emailed reference requests."""

import core.encryption
import core.references
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def give_each_application_a_reference(apps, schema_editor):
    Application = apps.get_model("register", "Application")
    taken = set(
        Application.objects.exclude(reference=None).values_list("reference", flat=True)
    )
    for application in Application.objects.filter(reference=None).only("pk").iterator():
        reference = core.references.reference_new()
        while reference in taken:
            reference = core.references.reference_new()
        taken.add(reference)
        Application.objects.filter(pk=application.pk).update(reference=reference)


class Migration(migrations.Migration):

    dependencies = [
        ('register', '0006_check_resolutions_and_sent_back'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='reference',
            field=models.CharField(editable=False, max_length=12, null=True),
        ),
        migrations.RunPython(give_each_application_a_reference, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='application',
            name='reference',
            field=models.CharField(default=core.references.reference_new, editable=False, max_length=12, unique=True),
        ),
        migrations.CreateModel(
            name='Referee',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField()),
                ('name', core.encryption.EncryptedCharField(max_length=200)),
                ('email', core.encryption.EncryptedCharField(max_length=254)),
                ('relationship', core.encryption.EncryptedCharField(max_length=200)),
                ('known_for', core.encryption.EncryptedCharField(max_length=100)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referees', to='register.application')),
            ],
            options={
                'ordering': ['position'],
            },
        ),
        migrations.CreateModel(
            name='ReferenceRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('status', models.CharField(choices=[('sent', 'Sent'), ('answered', 'Answered'), ('cancelled', 'Replaced by a newer request')], default='sent', max_length=16)),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('expires_at', models.DateTimeField()),
                ('answered_at', models.DateTimeField(blank=True, null=True)),
                ('knows_applicant', core.encryption.EncryptedBooleanField(null=True)),
                ('how_known', core.encryption.EncryptedTextField(blank=True)),
                ('has_concerns', core.encryption.EncryptedBooleanField(null=True)),
                ('concerns_details', core.encryption.EncryptedTextField(blank=True)),
                ('comments', core.encryption.EncryptedTextField(blank=True)),
                ('identity_check', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reference_request', to='register.identitycheck')),
                ('referee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='register.referee')),
                ('sent_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-sent_at', '-id'],
            },
        ),
        migrations.AddConstraint(
            model_name='referee',
            constraint=models.UniqueConstraint(fields=('application', 'position'), name='one_referee_each'),
        ),
    ]
