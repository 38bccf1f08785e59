"""Request bodies are limited at the ASGI edge, before Django reads them (heard/core/bodylimit.py).

Django's ASGI handler reads a whole body into a temporary file before any check runs: without
the edge, a 300 MB post to the sign-in page was written to disk before the CSRF refusal."""

from __future__ import annotations

import socket
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings

from heard.asgi import application
from heard.core.bodylimit import limit_for
from tests.support.asgi import CHUNK, call, zeros
from tests.support.server import HeardServer
from tests.support.urls import url

MB = 1024 * 1024
FORM = ("content-type", "application/x-www-form-urlencoded")


@pytest.fixture
def temp_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The folder Django's request bodies would spill into."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_declared_300_mb_body_to_sign_in_is_refused_unread(temp_folder):
    started = time.monotonic()
    answer = call(
        application,
        "/accounts/login/",
        method="POST",
        headers=[FORM, ("content-length", str(300 * MB))],
        body=zeros(300 * MB, fail_after=4 * MB),
    )
    assert answer.status == 413
    assert answer.chunks_read == 0
    assert answer.headers["connection"] == "close"
    assert "larger than the 1.0 MB this page accepts" in answer.body.decode()
    assert "nothing was saved" in answer.body.decode()
    assert list(temp_folder.iterdir()) == []
    assert time.monotonic() - started < 2


def test_a_chunked_body_is_counted_and_cut_off(temp_folder):
    answer = call(
        application,
        "/accounts/login/",
        method="POST",
        headers=[FORM],  # no Content-Length: the body is sent in chunks
        body=zeros(300 * MB, fail_after=4 * MB),
    )
    assert answer.status == 413
    assert answer.chunks_read <= settings.HEARD_MAX_BODY_BYTES // CHUNK + 1
    assert list(temp_folder.iterdir()) == []


def test_each_route_has_its_limit(team):
    ordinary = settings.HEARD_MAX_BODY_BYTES
    assert ordinary == 1024 * 1024
    assert limit_for("/accounts/login/") == ordinary
    assert limit_for(url("studies:create", team)) == ordinary
    assert limit_for("/no/such/page/") == ordinary
    assert (
        limit_for(url("participants:import", team)) == settings.HEARD_IMPORT_MAX_BYTES + 64 * 1024
    )
    # Django's own limits agree: an ordinary body never spills into a temporary file.
    assert ordinary == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert ordinary == settings.FILE_UPLOAD_MAX_MEMORY_SIZE


def test_the_import_takes_a_file_up_to_its_own_limit(team, temp_folder):
    path = url("participants:import", team)
    under = call(
        application, path, method="POST",
        headers=[FORM, ("content-length", str(3 * MB))], body=zeros(3 * MB),
    )  # fmt: skip
    assert under.status != 413  # read whole (then sent on: there is no session)
    assert under.chunks_read == 3 * MB // CHUNK
    over = settings.HEARD_IMPORT_MAX_BYTES + 65 * 1024
    refused = call(
        application, path, method="POST",
        headers=[FORM, ("content-length", str(over))], body=zeros(over, fail_after=0),
    )  # fmt: skip
    assert refused.status == 413
    assert "larger than the 10.1 MB this page accepts" in refused.body.decode()


def test_an_unreadable_length_is_a_bad_request():
    answer = call(
        application, "/accounts/login/", method="POST",
        headers=[FORM, ("content-length", "lots")], body=zeros(10, fail_after=0),
    )  # fmt: skip
    assert answer.status == 400


@pytest.mark.django_db(transaction=True)
def test_heard_serve_refuses_a_300_mb_post_at_once(tmp_path: Path):
    server = HeardServer()
    (tmp_path / "tmp").mkdir()
    server.env["TMPDIR"] = str(tmp_path / "tmp")
    server.start()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            started = time.monotonic()
            sock.sendall(
                b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                + f"Content-Length: {300 * MB}\r\n\r\n".encode()
                + b"0" * MB
            )
            head = sock.recv(4096)
            took = time.monotonic() - started
    finally:
        server.stop()
    assert head.startswith(b"HTTP/1.1 413 "), head[:200]
    assert took < 2
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.django_db
def test_a_button_sent_with_an_oversized_body_does_nothing(team):
    """Without the ASGI edge (WSGI, the test client) the limit holds too, before any view: a
    delete button whose view never reads the form must not act and only then be refused."""
    from heard.studies.models import Study
    from tests.support import factories

    study = factories.study(team.workspace)
    client = team.client_for(team.owner)
    response = client.post(
        url("studies:delete", team, pk=study.pk),
        {"padding": "x" * (settings.HEARD_MAX_BODY_BYTES + 1)},
    )
    assert response.status_code == 413
    assert Study.objects.filter(pk=study.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("participants:list", "segment=%00"),
        ("participants:list", "q=a%00b"),
        ("studies:list", "status=%00"),
        ("interviews:list", "view=%00"),
    ],
)
def test_a_nul_in_an_address_is_a_bad_request_not_a_server_error(team, name, query):
    client = team.client_for(team.owner)
    response = client.get(url(name, team) + "?" + query)
    assert response.status_code == 400
    assert "Heard could not read this request" in response.content.decode()
