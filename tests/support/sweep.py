"""Looking for a person's traces everywhere Heard keeps anything: every table of the database
(every column, as text, the full-text index's own tables included), and every stored file."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import connection


def database_traces(needles: Iterable[str]) -> list[str]:
    """Each row of any table holding one of `needles` (case aside), as "table: row"."""
    wanted = [needle for needle in needles if needle]
    found: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            quoted = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT t::text FROM {quoted} t WHERE t::text ILIKE ANY(%s)",  # noqa: S608 - table names from the database itself
                    [[f"%{needle}%" for needle in wanted]],
                )
            else:
                description = connection.introspection.get_table_description(cursor, table)
                columns = [connection.ops.quote_name(column.name) for column in description]
                if not columns:
                    continue
                condition = " OR ".join(
                    f"CAST({column} AS TEXT) LIKE %s" for column in columns for _ in wanted
                )
                params = [f"%{needle}%" for _ in columns for needle in wanted]
                cursor.execute(f"SELECT * FROM {quoted} WHERE {condition}", params)  # noqa: S608 - table and column names from the database itself
            found += [f"{table}: {str(row)[:300]}" for row in cursor.fetchall()]
    return found


def file_traces(needles: Iterable[str], root: Path | None = None) -> list[str]:
    """Each stored file (under `root`, the media folder by default) holding one of `needles`
    (case aside, as UTF-8)."""
    folder = Path(root or settings.MEDIA_ROOT)
    wanted = [needle.lower().encode() for needle in needles if needle]
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []:
        data = path.read_bytes().lower()
        if any(needle in data for needle in wanted):
            found.append(str(path.relative_to(folder)))
    return found
