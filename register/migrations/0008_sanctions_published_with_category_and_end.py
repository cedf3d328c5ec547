"""Fitness to practise outcomes (issue 19): warnings, an end date and a category of concern on
annotations, and the category of a sanction suspension or a removal on the entry."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('register', '0007_application_references_and_referees'),
    ]

    operations = [
        migrations.AddField(
            model_name='annotation',
            name='category',
            field=models.CharField(blank=True, choices=[('poor_practice', 'Poor practice'), ('dishonesty', 'Dishonesty'), ('theft', 'Theft'), ('abuse_or_neglect', 'Abuse or neglect'), ('health', 'Health'), ('other', 'Other')], max_length=32),
        ),
        migrations.AddField(
            model_name='annotation',
            name='ends_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='registerentry',
            name='sanction_category',
            field=models.CharField(blank=True, choices=[('poor_practice', 'Poor practice'), ('dishonesty', 'Dishonesty'), ('theft', 'Theft'), ('abuse_or_neglect', 'Abuse or neglect'), ('health', 'Health'), ('other', 'Other')], max_length=32),
        ),
        migrations.AlterField(
            model_name='annotation',
            name='kind',
            field=models.CharField(choices=[('condition', 'Condition'), ('annotation', 'Annotation'), ('warning', 'Warning')], max_length=16),
        ),
    ]
