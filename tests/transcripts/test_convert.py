"""`heard convert` as people run it: in a subprocess, with no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from heard.interviews.transcripts.formats import read_path

FIXTURES = Path(__file__).parent / "fixtures"
HEARD = [sys.executable, "-m", "heard.cli", "convert"]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    environ = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE",):
        environ.pop(name, None)
    # A database that cannot be opened: converting must not need one.
    environ["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
    environ["HEARD_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    return environ


def convert(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HEARD, *map(str, args)], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_convert_to_stdout_and_to_files(env, tmp_path):
    result = convert(env, FIXTURES / "zoom.vtt")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "[00:00:01] Ana Ruiz: Thanks for making the time today."

    as_json = convert(env, FIXTURES / "otter.txt", "--to", "json")
    assert json.loads(as_json.stdout)["segments"][1]["speaker"] == "Bo Chen"

    out = tmp_path / "call.docx"  # the format from the extension
    result = convert(env, FIXTURES / "teams.vtt", "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Wrote 3 segment(s), vtt to docx" in result.stderr
    assert read_path(out).speakers == ["Ana Ruiz", "Bo Chen"]

    srt = tmp_path / "call.out"  # --to over an extension Heard does not write
    assert convert(env, out, "--to", "srt", "-o", srt).returncode == 0
    assert [s.start for s in read_path(srt).segments] == [1.0, 3.0, 7.0]
    result = convert(env, FIXTURES / "malformed.vtt", "-o", tmp_path / "fixed.srt")
    assert result.returncode == 0
    assert "warning: Cue 2 (line 8)" in result.stderr
    assert read_path(tmp_path / "fixed.srt").source_format == "srt"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ([FIXTURES / "missing.vtt"], "Cannot read the file: No such file or directory."),
        (["letter.txt"], "Heard cannot tell what this file is"),
        ([FIXTURES], "Cannot read the file: Is a directory."),
        ([FIXTURES / "zoom.vtt", "--to", "docx"], "A Word file cannot go to the terminal"),
        ([FIXTURES / "meet.md", "--to", "vtt"], "Segment 1 has no time"),
        ([FIXTURES / "zoom.vtt", "-o", "/nonexistent/folder/x.srt"], "Cannot write"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(env, tmp_path, args, reason):
    (tmp_path / "letter.txt").write_text("Dear Ana,\nthanks for the call.\nBest, Bo\n")
    args = [tmp_path / arg if arg == "letter.txt" else arg for arg in args]
    result = convert(env, *args)
    assert result.returncode != 0
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stdout == ""
