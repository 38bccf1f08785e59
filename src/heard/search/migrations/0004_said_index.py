"""PostgreSQL: a second full-text index, of every entry but the transcripts' lines.

Lines are nineteen of every twenty entries. A search kept to another kind (a tab of notes, a
kind's own count beside a common word, `kind:pain`) reads its word's whole list of entries in
the one index, lines and all, to keep the few of its kind: for a prefix (`seat*`, every word
that begins so) that is tens of milliseconds of decoding per kind. The planner reads this
index instead wherever the search says its kind is not a line (`kind = 'note'` says so, and
`filters.KIND_WORDS` says it of a note's kind), and it holds a twentieth of the lists. SQLite's
index finds a kind's entries by its scope word alone and needs none of this."""

from django.db import migrations

CREATE = (
    "CREATE INDEX search_entry_said_idx ON search_entry USING gin (document) "
    "WHERE kind <> 'segment'"
)
DROP = "DROP INDEX IF EXISTS search_entry_said_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_word_pairs"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
