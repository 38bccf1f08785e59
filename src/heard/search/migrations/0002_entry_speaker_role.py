"""The speaker's role joins an entry's scope ("ksegment s12 rparticipant"), so that the index
itself narrows `speaker:customer` and `speaker:team`: the entries indexed before it gain the
word (the triggers index it)."""

from django.db import migrations, models

ROLE = "(SELECT role FROM interviews_transcriptspeaker WHERE id = search_entry.speaker_id)"

ADD_ROLE = (
    f"UPDATE search_entry SET scope = scope || ' r' || {ROLE} "
    f"WHERE speaker_id IS NOT NULL AND {ROLE} <> ''"
)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="entry",
            name="scope",
            field=models.CharField(
                help_text="Its kind, study and speaker's role as words the full-text index "
                'holds beside the text ("ksegment s12 rparticipant"), so that the index itself '
                "narrows a search to them.",
                max_length=40,
            ),
        ),
        migrations.RunSQL(ADD_ROLE, migrations.RunSQL.noop),
    ]
