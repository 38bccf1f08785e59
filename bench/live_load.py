"""Live calls under load: a real `heard serve`, many interviews, every screen saving and following.

Starts Heard on loopback and drives N concurrent live interviews (default 100), each with
three signed-in team members (interviewer, notetaker, guest: three workspace users who may
write). Every client saves a note every 2 s (POST live/notes/ with a fresh id, as the live
screen's outbox does) and follows the others with the stream of server-sent events the
screen reads (GET live/stream/, reconnecting with Last-Event-ID), for 2 minutes. SQLite and PostgreSQL run one
after the other, each in its own process, on a fresh database.

    .venv/bin/python bench/live_load.py                             # both, full size
    .venv/bin/python bench/live_load.py --seconds 20 --interviews 20  # a quick run
    .venv/bin/python bench/live_load.py --db postgresql --processes 3
    .venv/bin/python bench/live_load.py --capacity                  # and the knee

Capacity mode (--capacity): after the load, on the same server, the offered load is raised
step by step (50, 75, 110, 150, 225, 300, 450, 600, 800 saves/s, --step-seconds each) until a
step's save p95 passes 50 ms, its saves fall behind or any fails; the knee is the highest rate
kept up with. The floor (always): the same note upsert and event append by a bare loop of
database calls, no HTTP, no Django, on the same database after the load (`live_floor.py`).

Figures:
  save latency    from sending the POST to its 200 answer (failed saves are counted apart);
  fan-out latency for each acknowledged note and each OTHER client of its interview, from
                  the moment the save was SENT to the moment that client's events answer
                  carried it (stricter than from the 200);
  notes_sent      notes whose POST was answered 200;
  notes_stored    Note rows in the database after the run;
  duplicates      stored notes beyond one per id, plus note events beyond one per note (each
                  note is saved once, so the log should hold it once), plus events a client
                  got twice (a cursor that went back). Clients de-duplicate by id, as the
                  screens do, so a note seen again is only counted when the server sent it
                  twice.

The load generator and the server share this machine's cores (and the database server's):
client-side delays are part of the figures; the table shows the CPU split and how late the
load generator's own event loop ran.

The last line is one JSON object:
{"sqlite": {"save_p50_ms": .., "save_p95_ms": .., "fanout_p95_ms": .., "notes_sent": ..,
            "notes_stored": .., "duplicates": .., "floor_save_p95_ms": .., "floor_per_s": ..,
            "save_p95_over_floor": .., "knee_per_s": .., "knee_of_floor": ..}, "postgresql": {...}}
(the knee's two only with --capacity; floor_per_s: the floor on two connections at once).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import live_floor
from support import Server, client_headers, fresh_env, postgres, signed_in, stop_on_sigterm

TARGET_SAVE_P95_MS = 50.0
TARGET_FANOUT_P95_MS = 1000.0
# Today's load, 150 saves/s: the targets there, and the knee to reach in capacity mode.
TARGET_LOAD_SAVE_P95_MS = 20.0
TARGET_LOAD_FANOUT_P95_MS = 250.0
TARGET_KNEE_PER_S = 450.0
# Capacity mode: the offered loads in turn (saves/s), until one is not kept up with.
CAPACITY_RATES = (50, 75, 110, 150, 225, 300, 450, 600, 800)
STEP_GRACE = 10.0
POSTGRES_DB = "heard_live_bench"
ROLES = ("interviewer", "notetaker", "guest")
SAVE_TIMEOUT_S = 30.0
ROOT = Path(__file__).resolve().parent.parent
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ")


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * pct / 100) - 1)]


# Seeding (in the child process, through Django) ------------------------------------------------


def seed(interviews: int, clients: int) -> list[dict[str, Any]]:
    """Users, workspace, study, guide and started interviews; a session per client."""
    import datetime

    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from heard.accounts.models import Membership, Role, User, Workspace
    from heard.guides.models import Guide, Question, Section
    from heard.interviews.live import milestones
    from heard.interviews.models import Interview, TeamMember
    from heard.participants.models import Participant
    from heard.studies.models import Study

    plan = []
    with transaction.atomic():
        workspace = Workspace.objects.create(name="Live bench", slug="live-bench")
        study = Study.objects.create(
            workspace=workspace, title="Reporting pains", goal="Learn why reports take long."
        )
        guide = Guide.objects.create(study=study, title="Guide")
        section = Section.objects.create(guide=guide, title="Context", position=0)
        for q in range(6):
            Question.objects.create(section=section, text=f"Question {q + 1}?", position=q)
        users = User.objects.bulk_create(
            User(email=f"member{i}@bench.example", name=f"Member {i:03d}", password="!")
            for i in range(interviews * clients)
        )
        Membership.objects.bulk_create(
            Membership(workspace=workspace, user=user, role=Role.RESEARCHER) for user in users
        )
        participants = Participant.objects.bulk_create(
            Participant(workspace=workspace, name=f"Customer {i}", email=f"c{i}@client.example")
            for i in range(interviews)
        )
        starts = timezone.now() - datetime.timedelta(minutes=1)
        for i, participant in enumerate(participants):
            interview = Interview.objects.create(
                study=study,
                participant=participant,
                guide=guide,
                starts_at=starts,
                time_zone="Europe/Berlin",
                length_minutes=45,
            )
            team = users[i * clients : (i + 1) * clients]
            TeamMember.objects.bulk_create(
                TeamMember(
                    interview=interview,
                    user=user,
                    role=ROLES[min(c, len(ROLES) - 1)],
                    seniority=c + 1,
                )
                for c, user in enumerate(team)
            )
            milestones.start(interview, team[0])
            people = [signed_in(user) for user in team]
            kwargs = {"ws": workspace.slug, "pk": interview.pk}
            plan.append(
                {
                    "interview": interview.pk,
                    "state": reverse("interviews:live_state", kwargs=kwargs),
                    "stream": reverse("interviews:live_stream", kwargs=kwargs),
                    "notes": reverse("interviews:live_note_save", kwargs=kwargs),
                    "clients": people,
                }
            )
    return plan


def stored_counts() -> dict[str, Any]:
    """What the database holds after the run: notes, and note events per note."""
    from django.db import close_old_connections

    from heard.interviews.live.events import EventKind
    from heard.interviews.models import LiveEvent, Note

    close_old_connections()
    ids = list(Note.objects.values_list("id", flat=True))
    notes = LiveEvent.objects.filter(kind=EventKind.NOTE)
    events = Counter(notes.values_list("payload__id", flat=True))
    return {
        "ids": {str(note_id) for note_id in ids},
        "rows": len(ids),
        "event_duplicates": sum(count - 1 for count in events.values() if count > 1),
    }


# The server --------------------------------------------------------------------------------------


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# The load --------------------------------------------------------------------------------------


@dataclass
class Client:
    interview: int  # index in the plan
    seat: int  # index in its interview
    user: int
    headers: dict[str, str]
    cursor: int = 0
    connected: bool = False
    seen_events: set[int] = field(default_factory=set)


@dataclass
class Load:
    base: str
    plan: list[dict[str, Any]]
    seconds: float
    save_every: float
    grace: float
    save_ms: list[float] = field(default_factory=list)
    sent_at: dict[str, float] = field(default_factory=dict)  # acknowledged note -> send time
    note_home: dict[str, tuple[int, int]] = field(default_factory=dict)  # note -> (iv, seat)
    received: dict[tuple[int, int], dict[str, float]] = field(
        default_factory=lambda: defaultdict(dict)
    )  # (interview, seat) -> note -> first arrival
    attempted: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    messages: int = 0
    reconnects: int = 0
    connect_s: float = 0.0
    client_duplicates: int = 0
    late_sends: int = 0
    skipped_slots: int = 0
    loop_lag_ms: list[float] = field(default_factory=list)
    stop_saving: float = 0.0
    gave_up: float = 0.0  # when the bench stopped waiting for deliveries
    on_drained: Any = None  # called once the last deliveries are in, before streams are cut

    @property
    def seats(self) -> int:
        """Clients in all: each saves a note every `save_every` seconds."""
        return sum(len(entry["clients"]) for entry in self.plan)

    def fail(self, what: str, reason: str) -> None:
        self.failures[f"{what}: {reason}"] += 1

    async def save_loop(self, http: Any, client: Client, started: float, offset: float) -> None:
        url = self.base + self.plan[client.interview]["notes"]
        headers = client.headers | {"Content-Type": "application/json"}
        k = 0
        while True:
            # One save in flight per client, as the screen's outbox does: when a save took
            # longer than the interval, the slots it overran are skipped (counted) and the
            # next note goes at once.
            now = time.perf_counter()
            due = math.floor((now - started - offset) / self.save_every)
            if due > k:
                self.skipped_slots += due - k
                self.late_sends += 1
                k = due
            slot = started + offset + k * self.save_every
            if slot >= self.stop_saving or now >= self.stop_saving:
                return
            if slot > now:
                await asyncio.sleep(slot - now)
            note_id = str(uuid.uuid4())
            body = json.dumps(
                {
                    "id": note_id,
                    "kind": "note",
                    "text": f"Note {k} of seat {client.seat}: they export the report every Monday.",
                    "elapsed_seconds": int(time.perf_counter() - started) + 60,
                }
            )
            self.attempted += 1
            sent = time.perf_counter()
            try:
                async with http.post(url, data=body, headers=headers) as response:
                    await response.read()
                    status = response.status
            except TimeoutError:
                self.fail("save", "timeout")
            except Exception as error:  # a failed request is counted, not fatal
                self.fail("save", type(error).__name__)
            else:
                if status == 200:
                    self.save_ms.append((time.perf_counter() - sent) * 1000)
                    self.sent_at[note_id] = sent
                    self.note_home[note_id] = (client.interview, client.seat)
                else:
                    self.fail("save", f"HTTP {status}")
            k += 1

    async def follow_loop(self, http: Any, client: Client) -> None:
        """Follow the call as the screen does: a stream of server-sent events, reconnecting
        from the last event id after a failure."""
        url = self.base + self.plan[client.interview]["stream"]
        mine = self.received[(client.interview, client.seat)]
        while True:
            headers = client.headers | {"Accept": "text/event-stream"}
            if client.cursor:
                headers["Last-Event-ID"] = str(client.cursor)
            try:
                async with http.get(url, headers=headers) as response:
                    if response.status != 200:
                        await response.read()
                        self.fail("stream", f"HTTP {response.status}")
                        await asyncio.sleep(1)
                        continue
                    data = b""
                    async for line in response.content:
                        if line.startswith(b"data: "):
                            data = line[6:]
                        elif line == b"\n" and data:
                            self.on_message(client, mine, json.loads(data))
                            data = b""
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.fail("stream", type(error).__name__)
                await asyncio.sleep(1)
                continue
            self.reconnects += 1

    def on_message(self, client: Client, mine: dict[str, float], answer: dict[str, Any]) -> None:
        arrived = time.perf_counter()
        self.messages += 1
        client.connected = True
        for event in answer.get("events", ()):
            if event["id"] in client.seen_events:
                self.client_duplicates += 1
                continue
            client.seen_events.add(event["id"])
            if event["kind"] == "note":
                mine.setdefault(event["payload"]["id"], arrived)
        if answer.get("cursor"):
            client.cursor = max(client.cursor, int(answer["cursor"]))

    async def lag_monitor(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.05)
            self.loop_lag_ms.append((time.perf_counter() - before - 0.05) * 1000)

    def all_delivered(self) -> bool:
        for note_id, (interview, seat) in self.note_home.items():
            for other in range(len(self.plan[interview]["clients"])):
                if other != seat and note_id not in self.received[(interview, other)]:
                    return False
        return True

    async def run(self) -> None:
        import aiohttp

        clients = [
            Client(
                interview=i,
                seat=seat,
                user=person["user"],
                headers=client_headers(self.base, person),
            )
            for i, entry in enumerate(self.plan)
            for seat, person in enumerate(entry["clients"])
        ]
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        timeout = aiohttp.ClientTimeout(total=SAVE_TIMEOUT_S)
        async with aiohttp.ClientSession(
            connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
        ) as http:
            # Open the screens (not measured): each reads the state for its first cursor.
            gate = asyncio.Semaphore(20)

            async def open_screen(client: Client) -> None:
                url = self.base + self.plan[client.interview]["state"]
                for _ in range(5):
                    async with gate:
                        try:
                            async with http.get(url, headers=client.headers) as response:
                                if response.status == 200:
                                    client.cursor = int((await response.json())["cursor"])
                                    return
                                await response.read()
                                self.fail("state", f"HTTP {response.status}")
                        except Exception as error:
                            self.fail("state", type(error).__name__)
                    await asyncio.sleep(1)
                # Follow from the start of the log then: the first answer catches up.

            await asyncio.gather(*(open_screen(client) for client in clients))
            poll_http = aiohttp.ClientSession(
                connector=connector,
                connector_owner=False,
                # A stream lasts minutes; only a silent one (no keep-alive) is cut.
                timeout=aiohttp.ClientTimeout(total=None, sock_read=40),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
            # The screens open their streams first (not measured), then the call goes on.
            opening = time.perf_counter()
            followers = [asyncio.create_task(self.follow_loop(poll_http, c)) for c in clients]
            while time.perf_counter() - opening < 60 and not all(c.connected for c in clients):
                await asyncio.sleep(0.1)
            self.connect_s = time.perf_counter() - opening
            started = time.perf_counter()
            self.stop_saving = started + self.seconds
            monitor = asyncio.create_task(self.lag_monitor())
            savers = [
                asyncio.create_task(
                    self.save_loop(http, c, started, random.uniform(0, self.save_every))
                )
                for c in clients
            ]
            await asyncio.gather(*savers)
            grace_end = time.perf_counter() + self.grace
            while time.perf_counter() < grace_end and not self.all_delivered():
                await asyncio.sleep(0.1)
            self.gave_up = time.perf_counter()
            if self.on_drained:
                self.on_drained()
            for task in [*followers, monitor]:
                task.cancel()
            await asyncio.gather(*followers, monitor, return_exceptions=True)
            await poll_http.close()

    def figures(self) -> dict[str, Any]:
        fanout_ms = []
        missing = 0
        for note_id, (interview, seat) in self.note_home.items():
            for other in range(len(self.plan[interview]["clients"])):
                if other == seat:
                    continue
                arrived = self.received[(interview, other)].get(note_id)
                if arrived is None:
                    # Never seen: counts with a lower bound, until the bench stopped waiting.
                    missing += 1
                    arrived = self.gave_up
                fanout_ms.append((arrived - self.sent_at[note_id]) * 1000)
        return {
            "save_p50_ms": percentile(self.save_ms, 50),
            "save_p95_ms": percentile(self.save_ms, 95),
            "save_p99_ms": percentile(self.save_ms, 99),
            "save_max_ms": max(self.save_ms, default=None),
            "fanout_p50_ms": percentile(fanout_ms, 50),
            "fanout_p95_ms": percentile(fanout_ms, 95),
            "fanout_p99_ms": percentile(fanout_ms, 99),
            "fanout_max_ms": max(fanout_ms, default=None),
            "fanout_deliveries": len(fanout_ms),
            "fanout_missing": missing,
            "saves_attempted": self.attempted,
            "notes_sent": len(self.sent_at),
            "failures": dict(self.failures),
            "messages": self.messages,
            "connect_s": self.connect_s,
            "reconnects": self.reconnects,
            "client_duplicates": self.client_duplicates,
            "late_sends": self.late_sends,
            "skipped_slots": self.skipped_slots,
            "loop_lag_p95_ms": percentile(self.loop_lag_ms, 95),
            "loop_lag_max_ms": max(self.loop_lag_ms, default=None),
        }


# One database, in its own process --------------------------------------------------------------


def measured(load: Load, server: Server, log: Any) -> tuple[dict[str, Any], int]:
    """Run one load against the server: its figures, with the CPU split, and the server log's
    length when the deliveries were in (what it logged after is the streams being cut)."""
    marks: dict[str, Any] = {}

    def drained() -> None:
        log("load over, deliveries awaited; cutting the streams")
        marks["lines"] = len(server.log_lines())
        marks["server"], marks["machine"], marks["bench"] = (
            server.cpu_ticks(),
            machine_ticks(),
            os.times(),
        )
        marks["wall"] = time.perf_counter()

    load.on_drained = drained
    cpu_server_0, machine_0, bench_0 = server.cpu_ticks(), machine_ticks(), os.times()
    wall_0 = time.perf_counter()
    load_0 = os.getloadavg()[0]
    asyncio.run(load.run())
    wall = marks["wall"] - wall_0
    ticks = os.sysconf("SC_CLK_TCK")
    cores = os.cpu_count() or 1
    machine = marks["machine"]
    server_pct = 100 * (marks["server"] - cpu_server_0) / ticks / wall
    bench = marks["bench"]
    bench_pct = 100 * (bench.user - bench_0.user + bench.system - bench_0.system) / wall
    busy_pct = 100 * cores * (machine[0] - machine_0[0]) / max(1, machine[1] - machine_0[1])
    figures = load.figures()
    figures["offered_per_s"] = load.seats / load.save_every
    figures["saved_per_s"] = figures["notes_sent"] / load.seconds
    figures["cpu"] = {
        "cores": cores,
        "load_avg_before": load_0,
        "server_pct": server_pct,
        "bench_pct": bench_pct,
        "machine_busy_pct": busy_pct,
        "other_pct": max(0.0, busy_pct - server_pct - bench_pct),
    }
    return figures, marks["lines"]


def holds(figures: dict[str, Any]) -> bool:
    """A capacity step the server kept up with: save p95 under the target, (nearly) every
    offered save sent, none failed."""
    p95 = figures["save_p95_ms"]
    return (
        p95 is not None
        and p95 < TARGET_SAVE_P95_MS
        and figures["saved_per_s"] >= 0.9 * figures["offered_per_s"]
        and not any(reason.startswith("save") for reason in figures["failures"])
    )


def child(db: str, args: argparse.Namespace) -> None:
    import django
    from django.core.management import call_command

    stop_on_sigterm()
    django.setup()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()

    def log(text: str) -> None:
        print(f"[{db} +{time.perf_counter() - t0:.0f}s] {text}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    plan = seed(args.interviews, args.clients)
    log(f"seeded {len(plan)} interviews in {time.perf_counter() - started:.1f} s")
    from django.db import connection, connections

    connections.close_all()
    env = dict(os.environ)
    env["HEARD_LOG_LEVEL"] = "WARNING"
    data_dir = Path(os.environ["HEARD_DATA_DIR"])
    server = Server(env, args.processes, data_dir / "server.log")
    result: dict[str, Any] = {"processes": args.processes}
    acked: set[str] = set()
    duplicates = 0
    lines = 0
    try:
        server.start()
        log(f"heard serve --processes {args.processes} at {server.url}; load for {args.seconds} s")
        load = Load(server.url, plan, args.seconds, args.save_every, args.grace)
        figures, lines = measured(load, server, log)
        result |= figures
        acked |= set(load.sent_at)
        duplicates += load.client_duplicates
        if args.capacity:
            steps = []
            for rate in CAPACITY_RATES:
                log(f"capacity: {rate} saves/s offered for {args.step_seconds:g} s")
                step = Load(server.url, plan, args.step_seconds, load.seats / rate, STEP_GRACE)
                figures, lines = measured(step, server, log)
                acked |= set(step.sent_at)
                duplicates += step.client_duplicates
                steps.append(figures | {"holds": holds(figures)})
                if not steps[-1]["holds"]:
                    break
            result["capacity"] = steps
            kept = [step["saved_per_s"] for step in steps if step["holds"]]
            result["knee_per_s"] = max(kept, default=0.0)
    finally:
        server.stop()
        log("server stopped")
    result["server_log"] = server.log_summary(lines)
    stored = stored_counts()
    result["notes_stored"] = stored["rows"]
    result["lost"] = len(acked - stored["ids"])
    result["stored_unacked"] = len(stored["ids"] - acked)
    result["duplicates"] = stored["rows"] - len(stored["ids"]) + stored["event_duplicates"]
    result["duplicates"] += duplicates
    result["notes_sent_all"] = len(acked)
    log("the floor: the same writes by a bare loop of database calls")
    seats = [(entry["interview"], person["user"]) for entry in plan for person in entry["clients"]]
    result["floor"] = live_floor.measure(connection.vendor, connection.settings_dict, seats)
    connections.close_all()
    print("RESULT " + json.dumps(result), flush=True)


def run_child(db: str, args: argparse.Namespace) -> dict[str, Any]:
    processes = args.processes
    try:
        env = fresh_env(db, POSTGRES_DB)
    except Exception as error:  # PostgreSQL is not there: report it, run the other database
        return {"processes": processes, "crashed": f"no PostgreSQL: {error}"}
    env |= {
        "HEARD_SECRET_KEY": secrets.token_urlsafe(50),
        "HEARD_ALLOWED_HOSTS": "127.0.0.1",  # the load generator's requests
        "PYTHONPATH": str(ROOT / "src"),
    }
    try:
        command = [sys.executable, __file__, "--child", db, "--processes", str(processes)]
        command += ["--seconds", str(args.seconds), "--interviews", str(args.interviews)]
        command += ["--clients", str(args.clients), "--save-every", str(args.save_every)]
        command += ["--grace", str(args.grace), "--step-seconds", str(args.step_seconds)]
        command += ["--capacity"] if args.capacity else []
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
        output = ""
        try:
            output, _ = process.communicate()
        finally:
            if process.poll() is None:  # interrupted: let the child stop its server first
                process.terminate()
                try:
                    process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    process.kill()
        line = next((line for line in output.splitlines() if line.startswith("RESULT ")), None)
        if line is None:
            return {"processes": processes, "crashed": f"exit {process.returncode}"}
        return json.loads(line.removeprefix("RESULT "))
    finally:
        shutil.rmtree(env["HEARD_DATA_DIR"], ignore_errors=True)
        if db == "postgresql":
            with contextlib.suppress(Exception):
                postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)")


# Report ----------------------------------------------------------------------------------------


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def ratio(value: float | None, target: float) -> str:
    if value is None:
        return "-"
    return f"{value / target:.2f}{' OVER' if value > target else ' ok'}"


def report(by_db: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    clients = args.interviews * args.clients
    print(
        f"Live load: {args.interviews} interviews x {args.clients} clients = {clients} clients, "
        f"a note every {args.save_every:g} s each ({clients / args.save_every:.0f} saves/s "
        f"offered), each following a stream of server-sent events, {args.seconds:g} s of load."
    )
    print(
        f"One machine, {os.cpu_count()} cores shared by the load generator, heard serve and "
        "the database server: client-side delays count in every figure."
    )
    print("Fan-out is measured from the moment the save was SENT (not answered).")
    print()
    header = (
        f"{'db':<11}{'procs':>6}{'saves':>8}{'ok':>8}{'failed':>7}"
        f"{'save p50':>10}{'p95':>8}{'p99':>8}{'max':>8}"
        f"{'fan p50':>9}{'p95':>8}{'p99':>8}{'max':>8}{'missing':>9}"
        f"{'stored':>8}{'dup':>5}"
    )
    print(header)
    print("-" * len(header))
    for db, r in by_db.items():
        if "crashed" in r:
            print(f"{db:<11}{r['processes']:>6}  the run crashed ({r['crashed']})")
            continue
        failed = sum(n for reason, n in r["failures"].items() if reason.startswith("save"))
        print(
            f"{db:<11}{r['processes']:>6}{r['saves_attempted']:>8}{r['notes_sent']:>8}"
            f"{failed:>7}{ms(r['save_p50_ms']):>10}{ms(r['save_p95_ms']):>8}"
            f"{ms(r['save_p99_ms']):>8}{ms(r['save_max_ms']):>8}"
            f"{ms(r['fanout_p50_ms']):>9}{ms(r['fanout_p95_ms']):>8}"
            f"{ms(r['fanout_p99_ms']):>8}{ms(r['fanout_max_ms']):>8}{r['fanout_missing']:>9}"
            f"{r['notes_stored']:>8}{r['duplicates']:>5}"
        )
    print(
        "(latencies in ms; procs = heard serve --processes; missing = deliveries to another "
        "client never seen: they count in fan-out with the time until the bench gave up)"
    )
    print()
    print(
        f"Targets at this load: save p95 < {TARGET_LOAD_SAVE_P95_MS:.0f} ms, fan-out p95 < "
        f"{TARGET_LOAD_FANOUT_P95_MS:.0f} ms, stored == sent, duplicates == 0"
    )
    for db, r in by_db.items():
        if "crashed" in r:
            continue
        sent = r["notes_sent_all"]
        same = r["notes_stored"] == sent
        print(
            f"  {db:<11} save p95 {ratio(r['save_p95_ms'], TARGET_LOAD_SAVE_P95_MS)}  |  "
            f"fan-out p95 {ratio(r['fanout_p95_ms'], TARGET_LOAD_FANOUT_P95_MS)}  |  "
            f"stored/sent {r['notes_stored']}/{sent} {'ok' if same else 'MISMATCH'} "
            f"(lost {r['lost']}, stored without a 200 {r['stored_unacked']})  |  "
            f"duplicates {r['duplicates']} {'ok' if r['duplicates'] == 0 else 'OVER'}"
        )
    print()
    for db, r in by_db.items():
        if "crashed" in r:
            continue
        cpu = r["cpu"]
        print(
            f"  {db:<11} CPU of {cpu['cores']} cores: heard serve {cpu['server_pct']:.0f}%, "
            f"load generator {cpu['bench_pct']:.0f}%, database server and the rest "
            f"{cpu['other_pct']:.0f}%; machine busy {cpu['machine_busy_pct']:.0f}% of "
            f"{100 * cpu['cores']}% (load average before: {cpu['load_avg_before']:.1f})"
        )
        print(
            f"              generator loop late by "
            f"p95 {ms(r['loop_lag_p95_ms'])} ms, max {ms(r['loop_lag_max_ms'])} ms; "
            f"saves sent {r['saves_attempted'] / args.seconds:.0f}/s of {clients / args.save_every:.0f}/s "
            f"offered (a save that overran its slot: {r['late_sends']}, slots skipped "
            f"{r['skipped_slots']}); stream messages {r['messages']}, reconnections "
            f"{r['reconnects']}; all {clients} streams open {r['connect_s']:.1f} s after the start"
        )
        for reason, count in sorted(r["failures"].items()):
            print(f"      failed {count:>6}x {reason}")
        for phase, what in (("load", "during the load"), ("end", "when the streams were cut")):
            part = r["server_log"][phase]
            if part["tracebacks"] or part["samples"]:
                print(f"      server log {what}: {part['tracebacks']} tracebacks")
                for sample in part["samples"]:
                    print(f"        {sample}")
    for db, r in by_db.items():
        if "crashed" not in r:
            report_capacity(db, r)
    keys = ("save_p50_ms", "save_p95_ms", "fanout_p95_ms", "notes_sent", "notes_stored")
    summary = {
        db: {key: r.get(key) for key in keys} | {"duplicates": r.get("duplicates")}
        for db, r in by_db.items()
    }
    for db, figures in summary.items():
        r = by_db[db]
        if "floor" in r:
            one, two = r["floor"]["connections_1"], r["floor"]["connections_2"]
            figures |= {
                "floor_save_p95_ms": one["p95_ms"],
                "floor_per_s": two["saves_per_s"],
                "save_p95_over_floor": _over(r["save_p95_ms"], one["p95_ms"]),
            }
            if "knee_per_s" in r:
                figures["knee_per_s"] = r["knee_per_s"]
                figures["knee_of_floor"] = _over(r["knee_per_s"], two["saves_per_s"])
        for key, value in figures.items():
            if isinstance(value, float):
                figures[key] = round(value, 2 if "over" in key or "of_floor" in key else 1)
    print(json.dumps(summary))


def _over(value: float | None, floor: float) -> float | None:
    return None if value is None or not floor else value / floor


def report_capacity(db: str, r: dict[str, Any]) -> None:
    """The capacity steps (when run) and the floor."""
    print()
    if "capacity" in r:
        print(
            f"  {db:<11} capacity: the offered load raised until save p95 passes "
            f"{TARGET_SAVE_P95_MS:.0f} ms (or the saves fall behind)"
        )
        print(
            f"              {'offered/s':>10}{'saved/s':>9}{'save p50':>10}{'p95':>8}"
            f"{'fan p95':>9}{'server CPU':>12}{'failed':>8}  kept up"
        )
        for step in r["capacity"]:
            failed = sum(n for why, n in step["failures"].items() if why.startswith("save"))
            print(
                f"              {step['offered_per_s']:>10.0f}{step['saved_per_s']:>9.0f}"
                f"{ms(step['save_p50_ms']):>10}{ms(step['save_p95_ms']):>8}"
                f"{ms(step['fanout_p95_ms']):>9}{step['cpu']['server_pct']:>11.0f}%"
                f"{failed:>8}  {'yes' if step['holds'] else 'NO'}"
            )
        knee = r["knee_per_s"]
        print(
            f"              knee: {knee:.0f} saves/s, {knee / TARGET_KNEE_PER_S:.2f} of the "
            f"target {TARGET_KNEE_PER_S:.0f}/s{'' if knee >= TARGET_KNEE_PER_S else ' (UNDER)'}"
            + ("" if knee else "; no step was kept up with")
        )
    floor = r.get("floor")
    if floor:
        for key, label in (("connections_1", "one connection"), ("connections_2", "two at once")):
            f = floor[key]
            print(
                f"  {db:<11} floor, {label}: {f['saves']} saves, p50 {f['p50_ms']:.2f} ms, "
                f"p95 {f['p95_ms']:.2f} ms, {f['saves_per_s']:.0f} saves/s"
            )
        one, two = floor["connections_1"], floor["connections_2"]
        over = _over(r["save_p95_ms"], one["p95_ms"])
        print(
            f"              Heard's save p95 at this load is {over:.1f}x the floor's"
            + (
                f"; its knee is {r['knee_per_s'] / two['saves_per_s']:.2f} of the floor's rate"
                if "knee_per_s" in r
                else ""
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=120.0, help="load duration (120)")
    parser.add_argument("--interviews", type=int, default=100, help="live interviews (100)")
    parser.add_argument("--clients", type=int, default=3, help="clients per interview (3)")
    parser.add_argument("--save-every", type=float, default=2.0, help="seconds between notes")
    parser.add_argument(
        "--processes",
        type=int,
        default=2,
        help="heard serve processes, on either database (2: one per core of a small machine)",
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=30.0,
        help="seconds to wait for the last deliveries after the load (30)",
    )
    parser.add_argument(
        "--capacity",
        action="store_true",
        help="after the load, raise the offered load step by step until save p95 passes "
        f"{TARGET_SAVE_P95_MS:.0f} ms, and report that knee in saves/s",
    )
    parser.add_argument(
        "--step-seconds", type=float, default=20.0, help="seconds of each capacity step (20)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.clients < 2:
        parser.error("--clients must be at least 2: the others follow each client's notes")
    if args.child:
        child(args.child, args)
        return
    stop_on_sigterm()
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    by_db = {}
    for db in dbs:
        by_db[db] = result = run_child(db, args)
        brief = {key: result.get(key) for key in ("save_p95_ms", "fanout_p95_ms", "notes_sent")}
        print(f"[{db}] done: {json.dumps(brief)}", file=sys.stderr, flush=True)
    report(by_db, args)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted: the server is stopped and the bench data removed", file=sys.stderr)
        sys.exit(130)
