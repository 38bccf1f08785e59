"""An interview lasts at most 480 minutes, as the schedule form always allowed: the lists of
what is still to come read only the calls that started at most that long ago."""

import django.core.validators
from django.db import migrations, models


def cap_lengths(apps, schema_editor):
    """No form ever took more than 480 minutes; a row written otherwise is capped, so that
    the constraint can hold."""
    interview = apps.get_model("interviews", "Interview")
    interview.objects.filter(length_minutes__gt=480).update(length_minutes=480)


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0011_redactions"),
    ]

    operations = [
        migrations.RunPython(cap_lengths, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="interview",
            name="length_minutes",
            field=models.PositiveSmallIntegerField(
                default=45,
                validators=[django.core.validators.MaxValueValidator(480)],
                verbose_name="length (minutes)",
            ),
        ),
        migrations.AddConstraint(
            model_name="interview",
            constraint=models.CheckConstraint(
                condition=models.Q(("length_minutes__lte", 480)), name="interview_length_max"
            ),
        ),
    ]
