"""PostgreSQL: PostgreSQL's own `pg_dump` and `pg_restore`, of the server's major version or newer."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.db import transaction
from psycopg.conninfo import make_conninfo

from heard.conf import child_environment
from heard.core.backup.files import BackupError
from heard.core.backup.vendors.base import Dump, Vendor

# Connection options libpq understands (DATABASE_URL's query string, e.g. ?sslmode=require).
LIBPQ_OPTIONS = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "connect_timeout",
    "application_name",
    "options",
    "target_session_attrs",
    "service",
    "passfile",
}


class PostgreSQL(Vendor):
    name = "postgresql"
    label = "PostgreSQL"
    member = "database/heard.pgdump"

    def describe(self) -> str:
        db = self.connection.settings_dict
        return (
            f"the PostgreSQL database {db['NAME']} on "
            f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        )

    def empty_target_hint(self) -> str:
        return (
            "Restore into a new database: create one (`createdb heard_restored`), point "
            "DATABASE_URL at it and run `heard restore` again."
        )

    def _conninfo(self) -> str:
        db = self.connection.settings_dict
        params = {
            "dbname": db["NAME"],
            "host": db.get("HOST"),
            "port": str(db.get("PORT") or ""),
            "user": db.get("USER"),
        }
        options = db.get("OPTIONS", {})
        params |= {key: str(value) for key, value in options.items() if key in LIBPQ_OPTIONS}
        return make_conninfo(**{key: value for key, value in params.items() if value})

    def _run(self, tool: str, *args: str, stdout: int | None = None) -> str:
        program = shutil.which(tool)
        if program is None:
            raise BackupError(
                f"{tool} was not found. On PostgreSQL Heard backs up and restores with "
                "PostgreSQL's own tools, of the server's major version or newer: install them "
                "(Debian and Ubuntu: apt install postgresql-client) or put them on the PATH, "
                "then run this again."
            )
        password = self.connection.settings_dict.get("PASSWORD") or ""
        # The password travels in the environment, never on the command line.
        env = child_environment({"PGPASSWORD": password} if password else {})
        result = subprocess.run(  # noqa: S603 - a fixed program, arguments of our own
            [program, *args],
            stdout=stdout if stdout is not None else subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )
        if result.returncode != 0:
            message = result.stderr.decode(errors="replace").strip()
            raise BackupError(f"{tool} failed: {message}")
        return (result.stdout or b"").decode(errors="replace")

    def dump(self, target: Path) -> Dump:
        version = self._run("pg_dump", "--version").strip()
        alias = self.connection.alias
        # pg_dump reads the snapshot of this transaction, in which the migrations are read too.
        with transaction.atomic(using=alias), self.connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute(
                "SELECT pg_export_snapshot(), current_setting('server_version'), "
                "to_regclass('django_migrations') IS NOT NULL"
            )
            snapshot, server_version, migrated = cursor.fetchone()
            if not migrated:
                raise BackupError(
                    f"There is nothing to back up: {self.describe()} holds no data yet "
                    "(run `heard migrate` first)."
                )
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
            with target.open("wb") as out:
                self._run(
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--dbname",
                    self._conninfo(),
                    stdout=out.fileno(),
                )
        return Dump(migrations, {"server": server_version, "pg_dump": version})

    def check(self, dump: Path) -> None:
        self._run("pg_restore", "--list", str(dump), stdout=subprocess.DEVNULL)

    def load(self, dump: Path) -> None:
        self._run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            self._conninfo(),
            str(dump),
        )
