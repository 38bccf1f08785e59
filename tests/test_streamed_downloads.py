"""Downloads stream under ASGI (heard/core/streaming.py): the participant export of 100,000
people goes out a batch at a time, in memory that does not grow with the directory; Django
used to read a synchronous iterator whole before sending a byte, and warned that it did.
The matrix's CSV and XLSX go the same way."""

from __future__ import annotations

import csv
import io
import tracemalloc

import pytest
from django.db import transaction
from openpyxl import load_workbook

from heard.asgi import application
from heard.participants.models import Participant
from tests.support import factories
from tests.support.asgi import call, session_cookie
from tests.support.urls import matrix_url, url

PEOPLE = 100_000
STREAMED = "error:StreamingHttpResponse must consume:Warning"


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings(STREAMED)
def test_a_100000_participant_export_streams_in_bounded_memory(team):
    with transaction.atomic():
        Participant.objects.bulk_create(
            (
                Participant(
                    workspace=team.workspace,
                    name=f"Person {i:06}",
                    email=f"person{i}@example.org",
                    company="Acme Analytics",
                    profile={"team_size": str(i % 50)},
                )
                for i in range(PEOPLE)
            ),
            batch_size=5000,
        )
    cookie = session_cookie(team.owner)
    lines = 0
    tail = b""

    def count(part: bytes) -> None:
        nonlocal lines, tail
        lines += part.count(b"\r\n")
        tail = (tail + part)[-200:]

    tracemalloc.start()
    try:
        answer = call(
            application,
            url("participants:export", team),
            headers=[("cookie", cookie)],
            keep_body=False,
            on_body=count,
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer.status == 200
    assert lines == PEOPLE + 1
    assert next(csv.reader(io.StringIO(tail.decode().split("\r\n")[-2])))[0] == "Person 099999"
    # Sent as it was read: many parts, each about 64 KB, and never the whole file at once.
    assert answer.body_parts > answer.size // (128 * 1024)
    assert answer.size > 8_000_000
    assert peak < 6 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for a {answer.size / 1e6:.1f} MB file"


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings(STREAMED)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_matrix_downloads_stream(team, kind):
    study = factories.study(team.workspace, title="Reporting pains")
    answer = call(
        application, matrix_url(study, kind), headers=[("cookie", session_cookie(team.owner))]
    )
    assert answer.status == 200
    assert answer.size > 0
    if kind == "xlsx":
        assert load_workbook(io.BytesIO(answer.body)).sheetnames[0] == "Matrix"
