"""The end of bench/faults.py: what the database and the mail server hold against what each
person got acknowledged, and the report (a table, then one JSON line)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from fault_users import Tally


def check(tally: Tally, slug: str, received: list[Any]) -> dict[str, Any]:
    """Each acknowledged thing once: `lost` counts what is missing, `duplicates` what is there
    more than once; a mail still sending (its worker killed midway) is `in doubt`, as Heard
    shows it, not lost."""
    from django.db import close_old_connections

    from heard.followups.models import FollowUp, MailStatus
    from heard.interviews.live.events import EventKind
    from heard.interviews.models import LiveEvent, Note, QuestionState
    from heard.participants.models import ImportStatus, Participant, ParticipantImport
    from heard.synthesis.models import Vote

    close_old_connections()
    ws = {"interview__study__workspace__slug": slug}
    out: dict[str, Any] = {}

    stored = set(str(pk) for pk in Note.objects.filter(**ws).values_list("id", flat=True))
    events = Counter(
        LiveEvent.objects.filter(kind=EventKind.NOTE, **ws).values_list("payload__id", flat=True)
    )
    acked = set(tally.notes)
    out["notes"] = {
        "sent": len(acked),
        "stored": len(stored),
        "lost": len(acked - stored),
        "stored_unacknowledged": len(stored - acked),
        "duplicates": sum(n - 1 for n in events.values() if n > 1),
    }

    states: dict[tuple[int, int], list[str]] = {}
    for interview, question, status in QuestionState.objects.filter(**ws).values_list(
        "interview", "question", "status"
    ):
        states.setdefault((interview, question), []).append(status)
    out["question_states"] = {
        "acknowledged": len(tally.questions),
        "lost": sum(1 for key in tally.questions if key not in states),
        "duplicates": sum(len(found) - 1 for found in states.values()),
        "not_last_acknowledged": sum(
            1
            for key, status in tally.questions.items()
            if key in states and states[key][-1] != status
        ),
    }

    votes: dict[tuple[int, int], list[str]] = {}
    for voter, finding, choice in Vote.objects.filter(
        review__study__workspace__slug=slug
    ).values_list("voter", "finding", "choice"):
        votes.setdefault((voter, finding), []).append(choice)
    out["votes"] = {
        "acknowledged": len(tally.votes),
        "stored": sum(len(v) for v in votes.values()),
        "lost": sum(1 for key in tally.votes if key not in votes),
        "duplicates": sum(len(v) - 1 for v in votes.values()),
        "not_last_acknowledged": sum(
            1 for key, choice in tally.votes.items() if key in votes and votes[key][-1] != choice
        ),
    }

    arrived = Counter(str(message.message["Message-ID"]) for message in received)
    mails = FollowUp.objects.filter(**ws)
    by_id = {
        pk: (message_id, status)
        for pk, message_id, status in mails.values_list("pk", "message_id", "status")
    }
    status_of_acked = Counter(by_id[pk][1] for pk in tally.mails)
    in_doubt = sum(
        1 for pk in tally.mails if by_id[pk][1] == MailStatus.SENDING and not arrived[by_id[pk][0]]
    )
    mine = {message_id for message_id, _ in by_id.values()}
    out["mails"] = {
        "acknowledged": len(tally.mails),
        "arrived": sum(1 for message_id in arrived if message_id in mine),
        "lost": sum(
            1
            for pk in tally.mails
            if not arrived[by_id[pk][0]] and by_id[pk][1] != MailStatus.SENDING
        ),
        "in_doubt": in_doubt,
        "duplicates": sum(n - 1 for message_id, n in arrived.items() if message_id in mine),
        "arrived_unacknowledged": sum(
            1
            for pk, (message_id, _) in by_id.items()
            if arrived[message_id] and pk not in tally.mails
        ),
        "status_of_acknowledged": dict(status_of_acked),
    }

    uploads = ParticipantImport.objects.filter(workspace__slug=slug)
    done = Counter(uploads.filter(status=ImportStatus.DONE).values_list("filename", flat=True))
    people = Counter(
        Participant.objects.filter(workspace__slug=slug, email__startswith="import-").values_list(
            "email", flat=True
        )
    )
    out["imports"] = {
        "acknowledged": len(tally.imports),
        "lost": sum(
            1
            for name, emails in tally.imports.items()
            if not done[name] or any(not people[email] for email in emails)
        ),
        "duplicates": sum(n - 1 for n in done.values() if n > 1)
        + sum(n - 1 for n in people.values() if n > 1),
        "done_unacknowledged": sum(1 for name in done if name not in tally.imports),
        "uploads_left_unfinished": uploads.exclude(status=ImportStatus.DONE).count(),
    }
    close_old_connections()

    parts = ("notes", "question_states", "votes", "mails", "imports")
    faults = dict(sorted(tally.faults.items()))
    errors = tally.errors_5xx()
    return {
        "faults": sum(faults.values()),
        "notes_sent": out["notes"]["sent"],
        "notes_stored": out["notes"]["stored"],
        "duplicates": sum(out[part]["duplicates"] for part in parts),
        "errors_5xx": sum(errors.values()),
        "lost": sum(out[part]["lost"] for part in parts),
        "faults_by_kind": faults,
        "crashes": dict(tally.crashes),
        "errors_5xx_by_status": {str(status): n for status, n in sorted(errors.items())},
        "responses": {
            f"{action} {status}": n for (action, status), n in sorted(tally.status.items())
        },
        "network_errors": dict(tally.network),
        "retries": dict(tally.retries),
        "refused": dict(tally.refused),
        "refusal_samples": tally.refusal_samples,
    } | out


def report(result: dict[str, Any]) -> None:
    print()
    print(
        f"Faults on {result['database']}: {result['users']} people, {result['minutes']:g} min of "
        f"faults, then drained (people {result['drain']['people_s']} s, "
        f"mail queue {result['drain']['mail_s']} s; unfinished {result['drain']['people_unfinished']}, "
        f"notes left in outboxes {result['drain']['outbox_left']})"
    )
    print()
    print(f"{'fault':<26}{'count':>8}")
    for kind, count in result["faults_by_kind"].items():
        print(f"{kind:<26}{count:>8}")
    print(f"{'all':<26}{result['faults']:>8}")
    print()
    header = f"{'what':<18}{'acknowledged':>13}{'stored':>8}{'lost':>6}{'doubled':>8}  other"
    print(header)
    print("-" * len(header))
    for part, stored_key in (
        ("notes", "stored"),
        ("question_states", None),
        ("votes", "stored"),
        ("mails", "arrived"),
        ("imports", None),
    ):
        r = result[part]
        acked = r.get("acknowledged", r.get("sent"))
        stored = r.get(stored_key, "-") if stored_key else "-"
        other = {
            k: v
            for k, v in r.items()
            if k not in {"acknowledged", "sent", "stored", "arrived", "lost", "duplicates"}
        }
        print(f"{part:<18}{acked:>13}{stored!s:>8}{r['lost']:>6}{r['duplicates']:>8}  {other}")
    print()
    print(f"processes that stopped by themselves: {result['crashes'] or 'none'}")
    print(f"5xx answers: {result['errors_5xx']} by status {result['errors_5xx_by_status']}")
    print(f"retries by action: {result['retries']}")
    print(f"network errors: {result['network_errors']}")
    if result["refused"]:
        print(f"refused (unexpected 4xx): {result['refused']}")
        for sample in result["refusal_samples"]:
            print(f"    {sample}")
    for name in ("server_log", "worker_log"):
        log = result[name]
        if log["tracebacks"] or log["samples"]:
            print(f"{name.replace('_', ' ')}: {log['tracebacks']} tracebacks")
            for sample in log["samples"]:
                print(f"    {sample}")
    keys = ("faults", "notes_sent", "notes_stored", "duplicates", "errors_5xx", "lost")
    summary = {key: result[key] for key in keys} | {
        "faults_by_kind": result["faults_by_kind"],
        "crashes": result["crashes"],
        "errors_5xx_by_status": result["errors_5xx_by_status"],
        "votes": result["votes"]["acknowledged"],
        "mails": result["mails"]["acknowledged"],
        "mails_in_doubt": result["mails"]["in_doubt"],
        "imports": result["imports"]["acknowledged"],
        "question_states": result["question_states"]["acknowledged"],
        "database": result["database"],
        "users": result["users"],
        "minutes": result["minutes"],
    }
    print(json.dumps(summary))
