"""What a kind of database does for a backup: dump itself to one file, load one when empty."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.db.backends.base.base import BaseDatabaseWrapper


@dataclass(frozen=True)
class Dump:
    """What dumping wrote besides the file: the migrations applied in the data it holds."""

    migrations: list[str]
    details: dict[str, Any] = field(default_factory=dict)


class Vendor:
    """One kind of database, as Django's `connection.vendor` names it."""

    name: ClassVar[str]
    label: ClassVar[str]  # as people call it
    member: ClassVar[str]  # the archive member that holds the dump

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def describe(self) -> str:
        """Which database this is, for messages."""
        raise NotImplementedError

    def dump(self, target: Path) -> Dump:
        """Write a consistent copy of the whole database into `target` (an empty private file)."""
        raise NotImplementedError

    def check(self, dump: Path) -> None:
        """Refuse (BackupError) a dump this machine cannot load, before anything changes."""
        raise NotImplementedError

    def load(self, dump: Path) -> None:
        """Bring the dump into the database, which is empty: all of it, or nothing."""
        raise NotImplementedError

    def empty_target_hint(self) -> str:
        """How to get an empty database to restore into."""
        raise NotImplementedError

    def tables(self) -> list[str]:
        """The tables the database holds now (none in an empty one)."""
        with self.connection.cursor() as cursor:
            return list(self.connection.introspection.table_names(cursor))
