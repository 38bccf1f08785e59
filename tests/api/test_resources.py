"""The API's resources: what they answer, how they page and sync, what they refuse, and that
a write through them is a write like the pages' (the live screen, search, the audit log)."""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest
from django.db import OperationalError, close_old_connections
from django.utils import timezone

from heard.api.core import cursor_text
from heard.api.resources import participants as participants_api
from heard.interviews.models import LiveEvent, Note
from heard.participants.models import Participant
from heard.privacy import erasure
from heard.search.backlog import backlog
from heard.search.models import Entry
from tests.support import factories
from tests.support.api import ApiClient, token_client
from tests.support.findings import build_study
from tests.support.personas import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(team: Team) -> ApiClient:
    return token_client(team.workspace, team.teammate)


def test_studies_and_points_round_trip(api: ApiClient):
    made = api.post("studies", {"title": "Pricing", "goal": "Why do teams churn?"})
    assert made.status_code == 201, made.content
    study = made.json()
    assert study["points"] == []
    assert study["url"].endswith(f"/studies/{study['id']}/")
    point = api.post(f"studies/{study['id']}/points", {"statement": "Teams churn on price"})
    assert point.status_code == 201
    assert point.json()["kind"] == "hypothesis"
    again = api.get(f"studies/{study['id']}").json()
    assert [p["statement"] for p in again["points"]] == ["Teams churn on price"]
    changed = api.patch(f"studies/{study['id']}", {"status": "interviewing"})
    assert changed.json()["status"] == "interviewing"
    assert api.get("studies", status="interviewing").json()["items"][0]["id"] == study["id"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ('{"title": "x",', 400),  # malformed JSON
        ("[1, 2]", 422),  # not an object
        ({"title": 5, "goal": "g"}, 422),  # wrong type
        ({"title": ""}, 422),
        ({"title": "x", "goal": "g", "owner": "me"}, 422),  # unknown field
        ({"title": "x" * 201, "goal": "g"}, 422),
        ({"title": "x", "goal": "g", "status": "finished"}, 422),
        ({"title": "a\x00b", "goal": "g"}, 422),  # PostgreSQL keeps no NUL in text
        ({"title": "a\ud800b", "goal": "g"}, 422),  # half a surrogate pair: no UTF-8
        ({"title": "x", "goal": {"nested": "\x00"}}, 422),
    ],
)
def test_bad_bodies_get_a_plain_4xx_and_change_nothing(api: ApiClient, body: object, status: int):
    response = api.post("studies", body)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert api.get("studies").json()["items"] == []


def test_a_huge_body_is_refused_before_it_is_read(api: ApiClient):
    response = api.post("studies", {"title": "x", "goal": "y" * 2_000_000})
    assert api.get("studies").json()["items"] == []
    assert response.status_code == 413


def test_participants_upsert_by_email_for_crm_sync(team: Team, api: ApiClient):
    factories.guide(factories.study(team.workspace))
    first = api.put(
        "participants/by-email",
        {"email": "Ada@Client.example", "name": "Ada Lovelace", "company": "Analytical"},
    )
    assert first.status_code == 201
    assert first.json()["created"] is True
    person = first.json()["participant"]
    assert person["pseudonym"].startswith("P")
    second = api.put("participants/by-email", {"email": "ada@client.example", "role": "CTO"})
    assert second.status_code == 200
    assert second.json()["created"] is False
    assert second.json()["participant"] | {"updated_at": None} == person | {
        "role": "CTO",
        "updated_at": None,
    }
    unknown = api.put("participants/by-email", {"email": "b@c.example", "profile": {"shoe": "9"}})
    assert unknown.status_code == 422
    assert "shoe" in unknown.json()["detail"]
    bad = api.put("participants/by-email", {"email": "not an email"})
    assert bad.status_code == 422
    taken = api.post("participants", {"name": "Imposter", "email": "ADA@client.example"})
    assert taken.status_code == 409
    assert Participant.objects.filter(workspace=team.workspace).count() == 1


class _Deadlock(Exception):
    sqlstate = "40P01"  # as psycopg's error for a deadlock carries it


def test_an_upsert_that_meets_a_deadlock_runs_again(team: Team, monkeypatch):
    # Two inserts of one email can end one of them in a deadlock on PostgreSQL (seen under
    # load): the upsert runs again and answers as if it had not met the other.
    apply = participants_api._apply
    met: list[int] = []

    def once_deadlocked(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not met:
            met.append(1)
            error = OperationalError("deadlock detected")
            error.__cause__ = _Deadlock()
            raise error
        return apply(*args, **kwargs)

    monkeypatch.setattr(participants_api, "_apply", once_deadlocked)
    client = token_client(team.workspace, team.owner)
    response = client.put("participants/by-email", {"email": "dead@client.example"})
    assert response.status_code == 201, response.content
    assert met == [1]
    assert Participant.objects.filter(email="dead@client.example").count() == 1


def test_an_upsert_that_lost_the_race_keeps_the_winners_name(team: Team, monkeypatch):
    # The first attempt finds nobody (another request's row is not committed yet) and would
    # name the new person by their email; its insert then fails on the other's row. The
    # attempt that finds that row leaves the name alone, since this upsert sent none.
    factories.participant(team.workspace, name="Ana Lima", email="ana@client.example")
    real = Participant.objects
    looked: list[int] = []

    class FirstLookMisses:
        def select_for_update(self):  # type: ignore[no-untyped-def]
            looked.append(1)
            found = real.select_for_update()
            return found.none() if len(looked) == 1 else found

    class Participants:
        objects = FirstLookMisses()

        def __new__(cls, **fields):  # type: ignore[no-untyped-def]
            return Participant(**fields)

    monkeypatch.setattr(participants_api, "Participant", Participants)
    client = token_client(team.workspace, team.owner)
    response = client.put("participants/by-email", {"email": "ana@client.example", "company": "X"})
    assert response.status_code == 200, response.content
    assert len(looked) == 2
    person = Participant.objects.get(email="ana@client.example")
    assert (person.name, person.company) == ("Ana Lima", "X")


@pytest.mark.django_db(transaction=True)
def test_concurrent_upserts_of_one_email_make_one_participant(team: Team):
    secret = token_client(team.workspace, team.owner).headers["Authorization"].split()[1]
    answers: list[int] = []
    start = threading.Barrier(4)

    def upsert(n: int) -> None:
        try:
            start.wait()
            response = ApiClient(secret).put(
                "participants/by-email", {"email": "same@client.example", "company": f"C{n}"}
            )
            answers.append(response.status_code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=upsert, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) in ([200, 200, 200, 201],), answers
    assert Participant.objects.filter(email__iexact="same@client.example").count() == 1


def test_lists_page_by_cursor_and_sync_by_updated_since(team: Team, api: ApiClient):
    people = [factories.participant(team.workspace, name=f"P{n:03d}") for n in range(205)]
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        found = api.get("participants", **({"cursor": cursor} if cursor else {})).json()
        seen += [p["id"] for p in found["items"]]
        pages += 1
        cursor = found["next_cursor"]
        if cursor is None:
            break
    assert seen == [p.pk for p in people]
    assert pages == 3
    mark = timezone.now()
    Participant.objects.filter(pk=people[7].pk).update(
        company="Changed", updated_at=mark + datetime.timedelta(seconds=1)
    )
    Participant.objects.filter(pk=people[3].pk).update(
        company="Changed", updated_at=mark + datetime.timedelta(seconds=2)
    )
    since = (mark).isoformat().replace("+00:00", "Z")
    changed = api.get("participants", updated_since=since, limit=1).json()
    assert [p["id"] for p in changed["items"]] == [people[7].pk]
    rest = api.get("participants", updated_since=since, cursor=changed["next_cursor"]).json()
    assert [p["id"] for p in rest["items"]] == [people[3].pk]
    assert rest["next_cursor"] is None
    assert api.get("participants", cursor="garbage!").status_code == 400
    assert api.get("participants", limit=0).status_code == 422
    assert api.get("participants", updated_since="0001-01-01T00:00:00+05:00").status_code == 422
    late = cursor_text({"i": 1, "u": "9999-12-31T23:59:59-05:00"})
    assert api.get("participants", updated_since=since, cursor=late).status_code == 400
    assert api.get("interviews", starts_after="0001-01-01T01:00:00+05:00").status_code == 422
    assert api.get("participants", q="a\x00b").status_code == 400  # refused at the edge


def test_etags_answer_304_until_something_changes(team: Team, api: ApiClient):
    study = factories.study(team.workspace)
    first = api.get(f"studies/{study.pk}")
    etag = first["ETag"]
    again = api.call("GET", f"studies/{study.pk}", **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    api.patch(f"studies/{study.pk}", {"goal": "New goal"})
    changed = api.call("GET", f"studies/{study.pk}", **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_observers_read_emails_in_lists_only_where_the_workspace_allows(team: Team):
    factories.participant(team.workspace, name="Ada", email="ada@client.example")
    observer = token_client(team.workspace, team.observer)
    assert observer.get("participants").json()["items"][0]["email"] is None
    one = observer.get("participants").json()["items"][0]["id"]
    assert observer.get(f"participants/{one}").json()["email"] is None
    assert observer.get("participants", email="ada@client.example").status_code == 403
    assert observer.get("participants", q="client.example").json()["items"] == []
    assert len(observer.get("participants", q="Ada").json()["items"]) == 1
    team.workspace.observers_may_export_participants = True
    team.workspace.save()
    assert observer.get("participants").json()["items"][0]["email"] == "ada@client.example"
    assert observer.get(f"participants/{one}").json()["email"] == "ada@client.example"
    assert len(observer.get("participants", q="client.example").json()["items"]) == 1


@pytest.mark.django_db(transaction=True)
def test_a_note_sent_through_the_api_is_a_note_like_the_live_screens(team: Team):
    study = factories.study(team.workspace)
    interview = factories.interview(study)
    api = token_client(team.workspace, team.teammate)
    note_id = uuid.uuid4()
    sent = {
        "id": str(note_id),
        "kind": "pain",
        "text": "Month end takes two days",
        "elapsed_seconds": 65,
    }
    made = api.post(f"interviews/{interview.pk}/notes", sent)
    assert made.status_code == 201, made.content
    assert made.json()["kind"] == "pain"
    note = Note.objects.get(pk=note_id)
    assert note.author == team.teammate
    event = LiveEvent.objects.filter(interview=interview).latest("id")
    assert event.actor == team.teammate
    assert str(note_id) in str(event.payload)
    again = api.post(f"interviews/{interview.pk}/notes", sent)
    assert again.status_code == 200
    assert Note.objects.count() == 1
    backlog.flush()
    assert Entry.objects.filter(kind="note", text__contains="Month end").exists()
    listed = api.get("notes", interview=interview.pk).json()["items"]
    assert [n["id"] for n in listed] == [str(note_id)]
    assert api.post(f"interviews/{interview.pk}/notes", {"text": " "}).status_code == 422


def test_summary_matrix_findings_and_decisions_read_as_the_pages_show_them(team: Team):
    three = build_study(team)
    three.finding(
        team.owner,
        "Reporting eats Mondays",
        supports=["Every Monday morning goes to rebuilding the same six reports."],
    )
    api = token_client(team.workspace, team.observer)
    summary = api.get(f"interviews/{three.nickole.pk}/summary").json()
    assert summary["status"] in {"draft", "final"}
    quotes = [q["text"] for cell in summary["cells"] for q in cell["quotes"]]
    assert "Every Monday morning goes to rebuilding the same six reports." in quotes
    matrix = api.get(f"studies/{three.study.pk}/matrix").json()
    assert {row["interview_id"] for row in matrix["rows"]["items"]} == {
        three.nickole.pk,
        three.tomas.pk,
        three.aiko.pk,
    }
    assert sum(matrix["points"][0]["stances"].values()) == 3
    [finding] = api.get(f"studies/{three.study.pk}/findings").json()
    assert finding["supporting"]["interviews"] == 1
    assert [w["kind"] for w in finding["warnings"]] == ["single_source"]
    assert api.get(f"studies/{three.study.pk}/decisions").json()["items"] == []


def test_everything_of_another_workspace_is_404(team: Team):
    study = factories.study(team.workspace)
    person = factories.participant(team.workspace)
    interview = factories.interview(study, person)
    mine = token_client(team.workspace, team.owner).get("interviews", study=study.pk).json()
    assert [(i["id"], i["recording_consent"]) for i in mine["items"]] == [(interview.pk, None)]
    outsider = token_client(team.other_workspace, team.outsider)
    for path in (
        f"studies/{study.pk}",
        f"studies/{study.pk}/matrix",
        f"studies/{study.pk}/findings",
        f"participants/{person.pk}",
        f"interviews/{interview.pk}",
        f"interviews/{interview.pk}/transcripts",
    ):
        assert outsider.get(path).status_code == 404, path
    assert outsider.patch(f"participants/{person.pk}", {"name": "X"}).status_code == 404
    assert outsider.get("participants").json()["items"] == []
    assert outsider.get("interviews", study=study.pk).json()["items"] == []


def test_the_openapi_document_and_docs_are_served_locally(api: ApiClient):
    document = api.client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/participants/by-email" in document["paths"]
    docs = api.client.get("/api/v1/docs").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()
    assert "https://" not in docs


def test_an_erasure_reaches_a_copy_kept_in_step(team: Team, api: ApiClient):
    person = factories.participant(team.workspace, name="Ada Lovelace", email="ada@x.example")
    study = factories.study(team.workspace, goal="Learn why Ada Lovelace rebuilds her reports.")
    since = timezone.now().isoformat()
    assert api.get("studies", updated_since=since).json()["items"] == []
    erasure.erase(person, team.owner)
    changed = api.get("studies", updated_since=since).json()["items"]
    assert [s["id"] for s in changed] == [study.pk]
    assert "Ada" not in changed[0]["goal"]
    [erased] = api.get("participants", updated_since=since).json()["items"]
    assert erased["erased"] is True
    assert erased["email"] == ""
