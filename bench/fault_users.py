"""The simulated people of bench/faults.py: each signed in with its own session, each working
through the method as a person does, and retrying what was not acknowledged as a person (or
the live screen's outbox) does after an error. What each got acknowledged is recorded, so that
the end of the run can check that the database and the mail server hold each of them once.

Each person has a live interview of their own (notes and question states), votes in the
study's open review, sends follow-up emails prepared for them, and imports small participant
CSV files (upload, map the columns, preview, confirm).
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from support import client_headers

REQUEST_TIMEOUT_S = 30.0
# A person clicks again after a short while; the live screen's outbox retries on its own.
RETRY_AFTER_S = (0.5, 2.0)
RETRY_AFTER_CAP_S = 3.0
IMPORT_ROWS = 3


@dataclass
class Tally:
    """What happened to the requests, and what each action got acknowledged."""

    status: Counter[tuple[str, int]] = field(default_factory=Counter)  # (action, status)
    network: Counter[str] = field(default_factory=Counter)  # connection errors by kind
    refused: Counter[str] = field(default_factory=Counter)  # unexpected 4xx by action
    refusal_samples: list[str] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)
    crashes: Counter[str] = field(default_factory=Counter)  # processes that stopped by themselves
    attempts: Counter[str] = field(default_factory=Counter)  # acknowledged actions by kind
    retries: Counter[str] = field(default_factory=Counter)
    notes: dict[str, int] = field(default_factory=dict)  # note id -> interview
    questions: dict[tuple[int, int], str] = field(default_factory=dict)  # last acknowledged
    votes: dict[tuple[int, int], str] = field(default_factory=dict)  # (voter, finding) -> choice
    mails: set[int] = field(default_factory=set)  # follow-ups whose Send was acknowledged
    imports: dict[str, list[str]] = field(default_factory=dict)  # file name -> its emails

    def errors_5xx(self) -> Counter[int]:
        found: Counter[int] = Counter()
        for (_, status), count in self.status.items():
            if status >= 500:
                found[status] += count
        return found


@dataclass
class Answer:
    status: int
    location: str
    body: bytes
    retry_after: str = ""


class Person:
    """One signed-in member of the workspace, with an HTTP session of their own."""

    def __init__(self, base: str, plan: dict[str, Any], tally: Tally, choices: dict[str, Any]):
        self.base = base
        self.plan = plan
        self.tally = tally
        self.choices = choices
        self.headers = client_headers(base, plan["person"])
        self.drop_next = False
        self.outbox: list[dict[str, Any]] = []
        self.drafts = list(plan["mails"])
        self.imported = 0
        self.started = time.monotonic()

    # One request, until it is answered as expected ----------------------------------------

    async def call(
        self,
        http: Any,
        action: str,
        path: str,
        expect: tuple[int, ...],
        *,
        json: dict[str, Any] | None = None,
        form: Callable[[], Any] | None = None,
    ) -> Answer:
        """Send until the answer is one of `expect` or a refusal (another 4xx); a dropped
        connection, a timeout, a 5xx or a server that is down is retried after a while."""
        import aiohttp

        first = True
        while True:
            if not first:
                self.tally.retries[action] += 1
            first = False
            data = form() if form is not None else None
            request = http.request(
                "POST",
                self.base + path,
                headers=self.headers,
                json=json,
                data=data,
                allow_redirects=False,
            )
            drop, self.drop_next = self.drop_next, False
            try:
                answer = await (self._dropped(request) if drop else self._read(request))
            except (aiohttp.ClientError, TimeoutError, ConnectionError) as error:
                self.tally.network[type(error).__name__] += 1
                await asyncio.sleep(random.uniform(*RETRY_AFTER_S))
                continue
            if answer is None:  # dropped before the answer came: try again, as a browser does
                await asyncio.sleep(random.uniform(*RETRY_AFTER_S))
                continue
            self.tally.status[(action, answer.status)] += 1
            if answer.status in expect:
                return answer
            if answer.status >= 500 or answer.status == 429:
                await asyncio.sleep(self._wait(answer))
                continue
            self.tally.refused[action] += 1
            if len(self.tally.refusal_samples) < 10:
                text = answer.body[:200].decode(errors="replace")
                self.tally.refusal_samples.append(f"{action} {answer.status}: {text}")
            return answer

    async def _read(self, request: Any) -> Answer:
        async with request as response:
            body = await response.read()
            headers = response.headers
            return Answer(
                response.status, headers.get("Location", ""), body, headers.get("Retry-After", "")
            )

    async def _dropped(self, request: Any) -> Answer | None:
        """Send, then cut the connection a few milliseconds later, before the answer."""
        sending = asyncio.ensure_future(self._read(request))
        await asyncio.sleep(random.uniform(0.002, 0.03))
        if sending.done():
            return sending.result()  # answered first: not a drop
        sending.cancel()
        await asyncio.gather(sending, return_exceptions=True)
        self.tally.faults["connection dropped"] += 1
        return None

    @staticmethod
    def _wait(answer: Answer) -> float:
        """As long as Retry-After says (within reason), else a person's pause."""
        if answer.retry_after.isdigit():
            return min(float(answer.retry_after), RETRY_AFTER_CAP_S) + random.uniform(0, 0.5)
        return random.uniform(*RETRY_AFTER_S)

    # The live screen's outbox ----------------------------------------------------------------

    async def take_notes(self, http: Any, until: float, every: float) -> None:
        """Type a note every few seconds into the outbox; the outbox sends them in order, each
        until the server has answered 200 (the same id every time)."""
        number = 0
        next_note = time.monotonic() + random.uniform(0, every)
        while time.monotonic() < until or self.outbox:
            now = time.monotonic()
            if now < until and now >= next_note:
                number += 1
                self.outbox.append(
                    {
                        "id": str(uuid.uuid4()),
                        "kind": "note",
                        "text": f"Note {number} of {self.plan['person']['user']}",
                        "elapsed_seconds": int(now - self.started),
                    }
                )
                next_note = now + random.uniform(0.5, 1.5) * every
            if not self.outbox:
                await asyncio.sleep(max(0.05, next_note - time.monotonic()))
                continue
            note = self.outbox[0]
            answer = await self.call(http, "note", self.plan["notes"], (200,), json=note)
            self.outbox.pop(0)
            if answer.status == 200:
                self.tally.notes[note["id"]] = self.plan["interview"]

    # The other work, one thing at a time ----------------------------------------------------

    async def work(self, http: Any, until: float, pause: float) -> None:
        actions = [self.mark_question, self.vote, self.send_mail, self.import_file]
        weights = [35, 35, 15, 15]
        await asyncio.sleep(random.uniform(0, pause))
        while time.monotonic() < until:
            action = random.choices(actions, weights)[0]
            await action(http)
            await asyncio.sleep(random.uniform(0.5, 1.5) * pause)

    async def mark_question(self, http: Any) -> None:
        question = random.choice(self.plan["questions"])
        status = random.choice(self.choices["question_states"])
        path = self.plan["question_url"].format(question=question)
        answer = await self.call(http, "question", path, (200,), json={"status": status})
        if answer.status == 200:
            self.tally.questions[(self.plan["interview"], question)] = status
            self.tally.attempts["question"] += 1

    async def vote(self, http: Any) -> None:
        finding = random.choice(self.choices["findings"])
        choice = random.choice(self.choices["votes"])
        path = self.choices["vote_url"].format(finding=finding)
        fields = {"vote": choice, "on": "board"}
        answer = await self.call(http, "vote", path, (302,), form=lambda: dict(fields))
        if answer.status == 302:
            self.tally.votes[(self.plan["person"]["user"], finding)] = choice
            self.tally.attempts["vote"] += 1

    async def send_mail(self, http: Any) -> None:
        if not self.drafts:
            return
        followup, path = self.drafts.pop(0)
        answer = await self.call(http, "mail", path, (302,), form=dict)
        if answer.status == 302:
            self.tally.mails.add(followup)
            self.tally.attempts["mail"] += 1

    async def import_file(self, http: Any) -> None:
        """Upload a CSV, map its columns, look at the preview, confirm: each step retried."""
        import aiohttp

        self.imported += 1
        user = self.plan["person"]["user"]
        filename = f"bench-{user}-{self.imported}.csv"
        emails = [
            f"import-{user}-{self.imported}-{row}@bench.example" for row in range(IMPORT_ROWS)
        ]
        text = "Name,Email,Company\n" + "".join(
            f"Imported {user}-{self.imported}-{row},{email},Acme {row}\n"
            for row, email in enumerate(emails)
        )

        def upload() -> Any:
            form = aiohttp.FormData()
            form.add_field("file", text.encode(), filename=filename, content_type="text/csv")
            return form

        answer = await self.call(
            http, "import upload", self.choices["import_url"], (302,), form=upload
        )
        found = re.search(r"/import/(\d+)/columns/$", answer.location)
        if answer.status != 302 or not found:
            return
        columns = answer.location.removeprefix(self.base)
        mapping = {"col_0": "name", "col_1": "email", "col_2": "company"}
        answer = await self.call(http, "import map", columns, (302,), form=lambda: dict(mapping))
        if answer.status != 302:
            return
        preview = columns.replace("/columns/", "/preview/")
        answer = await self.call(http, "import confirm", preview, (302,), form=dict)
        if answer.status == 302 and "/import/" not in answer.location:
            self.tally.imports[filename] = emails
            self.tally.attempts["import"] += 1
