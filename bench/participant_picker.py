"""The schedule form's participant picker on a directory of 50,000 participants (SQLite).

Seeds one workspace with 50,000 participants, then requests through Django's full request
handling (middleware, view, template):

- before: the schedule form as it was, every participant an option of one select (the
  form's former field, put back in this process only);
- after: the schedule form with the picker, and the picker's htmx answer to a search that
  finds a few people, to one that finds more than it lists, and to one that finds nobody
  (the whole directory read).

It prints p50 and p95 server time and the page size of each, and the ratio of after to
before; the last line is one JSON object.

    .venv/bin/python bench/participant_picker.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from support import fresh_env, run_step

PARTICIPANTS = 50_000
REQUESTS = 30
WARMUP = 3
# The page before takes seconds: fewer requests measure it well enough.
REQUESTS_BEFORE = 5
FIRST = ("Ada", "Grace", "Nickole", "Marcus", "Priya", "Zoë", "Omar", "Lena", "Kofi", "Mei")
LAST = ("Lovelace", "Hopper", "Smith", "Webb", "Raman", "Ångström", "Haddad", "Berg", "Mensah")


def seed() -> dict[str, str]:
    """Fill the database; return the URLs to measure."""
    from django.db import transaction
    from django.urls import reverse

    from heard.accounts.models import Membership, Role, User, Workspace
    from heard.participants.models import Participant
    from heard.studies.models import Study

    with transaction.atomic():
        user = User.objects.create_user(email="bench@example.org", name="Bench", password=None)
        workspace = Workspace.objects.create(name="Bench", slug="bench")
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        Study.objects.create(workspace=workspace, title="Reporting pains")
        Participant.objects.bulk_create(
            (
                Participant(
                    workspace=workspace,
                    name=f"{FIRST[i % len(FIRST)]} {LAST[i // 10 % len(LAST)]} {i:05d}",
                    email=f"p{i}@company{i % 3000}.example",
                    company=f"Company {i % 3000}",
                    role="Head of Operations" if i % 3 else "Analyst",
                    segment=("SMB", "Mid-market", "Enterprise")[i % 3],
                )
                for i in range(PARTICIPANTS)
            ),
            batch_size=2000,
        )
    form = reverse("interviews:create", args=[workspace.slug])
    picker = reverse("participants:picker", args=[workspace.slug]) + "?name=participant"
    return {
        "form": form,
        "picker, a few found": picker + "&participant_q=company+2999",
        "picker, more than listed": picker + "&participant_q=smith",
        "picker, nobody found": picker + "&participant_q=zebra",
    }


def restore_the_plain_select() -> None:
    """Put back the schedule form's former participant field: a select of everyone."""
    from django import forms

    from heard.interviews import forms as interview_forms
    from heard.interviews import views
    from heard.participants.models import Participant

    class EveryoneField(forms.ModelChoiceField):
        def label_from_instance(self, obj: Any) -> str:
            return " — ".join(part for part in (obj.name, obj.company, obj.recontact_note) if part)

    class FormBefore(interview_forms.NewInterviewForm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields["participant"] = EveryoneField(
                queryset=Participant.objects.filter(workspace=self.workspace).order_by(
                    "name", "id"
                ),
                empty_label="Pick a participant",
                help_text="The customer you will talk to.",
            )

    views.NewInterviewForm = FormBefore  # type: ignore[misc]


def timed(
    client: Any, url: str, headers: dict[str, str], requests: int = REQUESTS
) -> dict[str, float]:
    for _ in range(WARMUP if requests > WARMUP else 1):
        assert client.get(url, headers=headers).status_code == 200, url
    times = []
    size = 0
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        size = len(response.content)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
        "kb": round(size / 1024, 1),
    }


def child() -> None:
    """Runs in a fresh process on a fresh SQLite database."""
    import django
    from django.core.management import call_command
    from django.test import Client

    django.setup()
    call_command("migrate", verbosity=0)
    urls = seed()
    from heard.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="bench@example.org"))
    htmx = {"HX-Request": "true"}
    results = {"form (after)": timed(client, urls["form"], {})}
    for name, url in urls.items():
        if name.startswith("picker"):
            results[name] = timed(client, url, htmx)
    restore_the_plain_select()
    results["form (before: a select of everyone)"] = timed(
        client, urls["form"], {}, REQUESTS_BEFORE
    )
    print("RESULT " + json.dumps(results), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    results: dict[str, dict[str, float]] = run_step(
        __file__, ["--child"], fresh_env("sqlite", "unused")
    )
    before = results["form (before: a select of everyone)"]
    print(
        f"{PARTICIPANTS:,} participants, SQLite, {REQUESTS} requests each "
        f"({REQUESTS_BEFORE} for the page before)"
    )
    print(f"{'request':<36} {'p50 ms':>8} {'p95 ms':>8} {'KB':>8}  p95 and size / before")
    for name, figures in results.items():
        ratios = f"{figures['p95_ms'] / before['p95_ms']:.3f}  {figures['kb'] / before['kb']:.3f}"
        print(
            f"{name:<36} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f} "
            f"{figures['kb']:>8.1f}  {ratios}"
        )
    print(json.dumps({"participants": PARTICIPANTS, "requests": results}))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
