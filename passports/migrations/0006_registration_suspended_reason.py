"""The reason code "registration_suspended": a passport suspended with its worker's registration
(issue 19)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('passports', '0005_record_badges_and_details_changed'),
    ]

    operations = [
        migrations.AlterField(
            model_name='passport',
            name='reason_code',
            field=models.CharField(blank=True, choices=[('issued_in_error', 'Issued in error'), ('record_revoked', 'A training record was revoked'), ('fraud', 'Suspected fraud'), ('fitness_to_practise', 'Fitness to practise'), ('under_review', 'Under review'), ('details_changed', 'Details changed'), ('registration_suspended', 'The registration is suspended')], max_length=32),
        ),
        migrations.AlterField(
            model_name='recordbadge',
            name='reason_code',
            field=models.CharField(blank=True, choices=[('issued_in_error', 'Issued in error'), ('record_revoked', 'A training record was revoked'), ('fraud', 'Suspected fraud'), ('fitness_to_practise', 'Fitness to practise'), ('under_review', 'Under review'), ('details_changed', 'Details changed'), ('registration_suspended', 'The registration is suspended')], max_length=32),
        ),
    ]
