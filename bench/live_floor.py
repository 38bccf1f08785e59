"""The live path's floor: what a note's save costs the database alone.

The same writes a save makes, done the plainest way: a bare loop of database calls through
the driver (sqlite3 or psycopg), no HTTP, no Django. Each save is one transaction that locks
the interview's row (reading its status), upserts the note by its browser-made id and
appends the note's event to the live log, on the bench's own database and interviews. The
loop runs on one connection, then on two at once (as many as `heard serve --processes 2`
writes with), and gives each save's time and the saves a second.

Used by `live_load.py` after its load, in the same run.
"""

from __future__ import annotations

import datetime
import json
import math
import threading
import time
import uuid
from typing import Any

NOTE_COLUMNS = (
    "id, interview_id, author_id, kind, text, elapsed_seconds, question_id, ladder_of_id, "
    "deleted_at, created_at, updated_at, source, transcript_id, segment_id, start_ms, end_ms, "
    "speaker_id, speaker_label"
)
UPSERT = (
    f"INSERT INTO interviews_note ({NOTE_COLUMNS}) "  # noqa: S608 - constant SQL
    "VALUES ({p}, {p}, {p}, 'note', {p}, {p}, NULL, NULL, NULL, {p}, {p}, 'call', NULL, NULL, "
    "NULL, NULL, NULL, '') "
    "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, text = excluded.text, "
    "updated_at = excluded.updated_at"
)
APPEND = (
    "INSERT INTO interviews_liveevent (interview_id, kind, payload, actor_id, created_at) "
    "VALUES ({p}, 'note', {p}, {p}, {p}) RETURNING id"
)
LOCK = {
    "sqlite": "SELECT status FROM interviews_interview WHERE id = ?",  # under BEGIN IMMEDIATE
    "postgresql": "SELECT status FROM interviews_interview WHERE id = %s FOR UPDATE",
}
BEGIN = {"sqlite": "BEGIN IMMEDIATE", "postgresql": "BEGIN"}


def _connect(vendor: str, settings: dict[str, Any]) -> Any:
    if vendor == "sqlite":
        import sqlite3

        db = sqlite3.connect(settings["NAME"], isolation_level=None, check_same_thread=False)
        # As Heard's own connections are set up (settings.DATABASES).
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
            db.execute(f"PRAGMA {pragma}")
        return db
    import psycopg

    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        autocommit=True,
    )


def _uuid(vendor: str, value: uuid.UUID) -> Any:
    return value.hex if vendor == "sqlite" else value  # as Django stores a UUIDField


def _saves(errors: list[BaseException], *loop: Any) -> None:
    """`_loop` in a thread of its own; what it raises is kept in `errors`."""
    try:
        _loop(*loop)
    except BaseException as error:  # told by `measure`, after the other loop ends
        errors.append(error)


def _loop(
    vendor: str,
    settings: dict[str, Any],
    seats: list[tuple[int, int]],
    count: int,
    out: list[float],
) -> None:
    p = "?" if vendor == "sqlite" else "%s"
    upsert, append = UPSERT.format(p=p), APPEND.format(p=p)
    db = _connect(vendor, settings)
    try:
        for k in range(count):
            interview, author = seats[k % len(seats)]
            note_id = uuid.uuid4()
            now = datetime.datetime.now(datetime.UTC)
            text = f"Note {k}: they export the report every Monday."
            payload = {"id": str(note_id), "kind": "note", "text": text, "author": author}
            started = time.perf_counter()
            db.execute(BEGIN[vendor])
            db.execute(LOCK[vendor], (interview,)).fetchone()
            db.execute(upsert, (_uuid(vendor, note_id), interview, author, text, 60, now, now))
            db.execute(append, (interview, json.dumps(payload), author, now)).fetchone()
            db.execute("COMMIT")
            out.append((time.perf_counter() - started) * 1000)
    finally:
        db.close()


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * pct / 100) - 1)]


def measure(
    vendor: str, settings: dict[str, Any], seats: list[tuple[int, int]], saves: int = 3000
) -> dict[str, Any]:
    """The floor on one connection and on two: each save's p50 and p95 (ms) and saves/s.
    `seats`: (interview id, author id) pairs to write as, in turn."""
    result: dict[str, Any] = {}
    for connections in (1, 2):
        times: list[list[float]] = [[] for _ in range(connections)]
        errors: list[BaseException] = []
        loops = [
            threading.Thread(
                target=_saves,
                args=(errors, vendor, settings, seats[i::connections], saves // connections, t),
            )
            for i, t in enumerate(times)
        ]
        started = time.perf_counter()
        for loop in loops:
            loop.start()
        for loop in loops:
            loop.join()
        if errors:
            raise errors[0]
        elapsed = time.perf_counter() - started
        every = [ms for part in times for ms in part]
        result[f"connections_{connections}"] = {
            "saves": len(every),
            "p50_ms": _percentile(every, 50),
            "p95_ms": _percentile(every, 95),
            "saves_per_s": len(every) / elapsed,
        }
    return result
