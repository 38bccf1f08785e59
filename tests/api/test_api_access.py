"""Every operation of the API walked, as the URL walker walks the pages: without a token
(401), with an outsider's token (404 for every thing of ours, nothing of ours in their
lists), and with an observer's (every read answers, no write succeeds)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from heard.accounts.models import AuditEntry
from heard.api.core import api as the_api
from heard.api.models import ApiToken
from heard.participants.models import Participant
from heard.search.models import Entry
from heard.studies.models import Study
from tests.support.api import ApiClient, token_client
from tests.support.personas import Team
from tests.test_url_access import build_world, fingerprint

pytestmark = pytest.mark.django_db(transaction=True)

# What each path parameter names, in the walker's world.
PARAMETERS = {
    "study_id": lambda w: w.study.pk,
    "participant_id": lambda w: w.participant.pk,
    "guide_id": lambda w: w.guide.pk,
    "interview_id": lambda w: w.interview.pk,
    "transcript_id": lambda w: w.transcript.pk,
}
# A plausible body for each write, so that a missing check would really write.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/v1/studies"): {"title": "New", "goal": "Learn"},
    ("patch", "/api/v1/studies/{study_id}"): {"title": "Changed"},
    ("post", "/api/v1/studies/{study_id}/points"): {"statement": "Changed"},
    ("post", "/api/v1/participants"): {"name": "Changed", "email": "changed@example.org"},
    ("patch", "/api/v1/participants/{participant_id}"): {"name": "Changed"},
    ("put", "/api/v1/participants/by-email"): {"email": "changed@example.org"},
    ("delete", "/api/v1/participants/{participant_id}"): {},
    ("post", "/api/v1/interviews/{interview_id}/notes"): {"text": "Changed"},
}


# What an outsider's token may write in their own workspace (their own lists' POSTs, and
# their search index), and the audit log, which records their token.
OUTSIDERS_OWN = (Study, Participant, Entry, AuditEntry)


def operations() -> list[tuple[str, str]]:
    document = the_api.get_openapi_schema()
    return [
        (method, path)
        for path, methods in document["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def filled(path: str, world: Any) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(PARAMETERS[m.group(1)](world)), path)


def test_every_write_is_walked_with_a_body():
    writes = {(m, p) for m, p in operations() if m != "get"}
    assert writes == set(BODIES)
    assert {name for _, path in operations() for name in re.findall(r"\{(\w+)\}", path)} <= set(
        PARAMETERS
    )


def test_no_token_is_401_everywhere(team: Team):
    world = build_world(team)
    bare = ApiClient(None)
    for method, path in operations():
        response = bare.call(method.upper(), filled(path, world), BODIES.get((method, path)))
        assert response.status_code == 401, f"{method} {path}"


def test_an_outsiders_token_finds_nothing_of_ours(team: Team):
    world = build_world(team)
    outsider = token_client(team.other_workspace, team.outsider)
    ours = {
        "studies": set(team.workspace.studies.values_list("pk", flat=True)),
        "participants": set(team.workspace.participants.values_list("pk", flat=True)),
    }
    before = fingerprint(skip=(ApiToken, *OUTSIDERS_OWN))
    for method, path in operations():
        response = outsider.call(method.upper(), filled(path, world), BODIES.get((method, path)))
        if "{" in path:
            assert response.status_code == 404, f"{method} {path}: {response.status_code}"
        elif method == "get":
            assert response.status_code == 200, f"{method} {path}"
            listed = {item.get("id") for item in response.json().get("items", [])}
            assert not listed & ours.get(path.rsplit("/", 1)[-1], set()), f"{path} shows ours"
    # Their writes to their own workspace's lists may succeed; nothing of ours changed.
    assert fingerprint(skip=(ApiToken, *OUTSIDERS_OWN)) == before


def test_an_observers_token_reads_everything_and_writes_nothing(team: Team):
    world = build_world(team)
    observer = token_client(team.workspace, team.observer)
    before = fingerprint(skip=(ApiToken,))
    for method, path in operations():
        url = filled(path, world)
        response = observer.call(method.upper(), url, BODIES.get((method, path)))
        if method == "get":
            assert response.status_code == 200, f"{method} {path}: {response.content[:200]!r}"
        else:
            assert response.status_code == 403, f"{method} {path}: {response.status_code}"
    # Only the token's own row moved (its last use and its count).
    assert fingerprint(skip=(ApiToken,)) == before
