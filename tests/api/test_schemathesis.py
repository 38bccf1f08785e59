"""Schemathesis over the API's own OpenAPI document, against a real `heard serve`: generated
requests of every operation (valid and invalid), and not one answer a 500 or out of step
with the document."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from heard.api import tokens
from tests.support.personas import Team, build_team
from tests.support.server import HeardServer
from tests.test_url_access import build_world

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = ",".join(
    (
        "not_a_server_error",
        "response_schema_conformance",
        "content_type_conformance",
        "response_headers_conformance",
    )
)


def test_generated_requests_find_no_500_and_no_schema_violation(tmp_path: Path):
    team: Team = build_team()
    build_world(team)
    secret = tokens.create(team.workspace, team.owner, name="Schemathesis").secret
    server = HeardServer()
    server.env["HEARD_API_REQUESTS_PER_MINUTE"] = "100000"
    server.start()
    try:
        run = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "run",
                f"{server.url}/api/v1/openapi.json",
                "--url",
                server.url,
                "--header",
                f"Authorization: Bearer {secret}",
                "--checks",
                CHECKS,
                "--phases",
                "examples,fuzzing",
                "--max-examples",
                "10",
                "--max-time",
                "75",
                "--seed",
                "1",
                "--workers",
                "1",
                "--request-timeout",
                "20",
                "--no-color",
                "--report",
                "junit",
                "--report-dir",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,  # its cache folder goes there, not into the checkout
        )
    finally:
        server.stop()
    summary = run.stdout[-6000:]
    assert run.returncode == 0, summary
    assert "passed" in summary.lower(), summary
