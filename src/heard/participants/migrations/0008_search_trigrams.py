"""On PostgreSQL, the directory's search finds a word inside the name, email, company, role or
segment through trigram indexes (pg_trgm) on the very expressions Django's `icontains` writes
(`UPPER(column::text) LIKE UPPER(...)`), instead of reading all 50,000 people of a large
directory for each search. A database where the extension cannot be created (a role without
the right) keeps searching without them, as before; SQLite needs none (it reads its rows fast
enough in-process)."""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

FIELDS = ("name", "email", "company", "role", "segment")
TABLE = "participants_participant"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning(
            "pg_trgm could not be created (%s): the directory's search reads every row", error
        )
        return
    for field in FIELDS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS participant_{field}_trgm_idx ON {TABLE} "
            f"USING gin (UPPER({field}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS participant_{field}_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0007_directory_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
