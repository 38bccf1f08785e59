"""The directory's index holds only the people it lists (not the erased), so that it counts
them from the index alone; the segments in use are found one step along an index of their own."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0006_participant_alias"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="participant", name="participant_list_idx"),
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(
                condition=models.Q(("erased_at__isnull", True)),
                fields=["workspace", "name", "erased_at"],
                name="participant_list_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(fields=["workspace", "segment"], name="participant_segment_idx"),
        ),
    ]
