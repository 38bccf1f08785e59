"""`heard transcribe` and `heard models` as a person runs them: in a subprocess, no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support.server import free_port

HEARD = [sys.executable, "-m", "heard.cli"]


@pytest.fixture
def env(tmp_path, tiny_model):
    environ = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
        environ.pop(name, None)
    environ["HEARD_DATA_DIR"] = str(tmp_path / "data")
    environ["HEARD_WHISPER_MODEL"] = tiny_model
    return environ


def heard(args, env, timeout=120):
    return subprocess.run(
        HEARD + [str(arg) for arg in args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_transcribe_writes_json_and_shows_progress(clips, env, tmp_path):
    out = tmp_path / "call.json"
    result = heard(["transcribe", clips.two_speakers, "-o", out], env)
    assert result.returncode == 0, result.stderr
    assert "Transcribing two-speakers.wav: 100%" in result.stderr
    assert "2 speakers, written to" in result.stderr
    data = json.loads(out.read_text())
    assert data["language"] == "en"
    first, second = data["segments"]
    assert first["speaker"] == "Channel 1"
    assert "wizard" in first["text"].lower()
    assert second["speaker"] == "Channel 2"
    assert isinstance(second["start"], float)
    assert second["start"] > first["start"]
    assert {"start", "end", "text", "probability"} <= set(second["words"][0])
    assert not (tmp_path / "data" / "heard.sqlite3").exists()  # no database was touched


def test_transcribe_to_stdout(clips, env):
    result = heard(["transcribe", clips.phrase, "--language", "en"], env)
    assert result.returncode == 0, result.stderr
    text = " ".join(s["text"] for s in json.loads(result.stdout)["segments"]).lower()
    assert "country can do for you" in text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.mp3", b"not a recording\n" * 20, "notes.mp3 is not an audio or video file"),
        ("notes.nfo", b"not a recording\n" * 20, "notes.nfo is text, not an audio or video file."),
        ("empty.wav", b"", "empty.wav is empty (0 bytes)."),
    ],
)
def test_bad_input_is_one_line_and_no_traceback(env, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    result = heard(["transcribe", path], env)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"CommandError: {reason}")


def test_an_unusable_model_is_one_line(clips, env, tmp_path):
    result = heard(["transcribe", clips.phrase, "--model", tmp_path], env)
    assert result.returncode == 1
    assert "is not a CTranslate2 speech model folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_models_lists_the_catalogue_and_checks_a_model(env, tiny_model):
    listed = heard(["models"], env)
    assert listed.returncode == 0, listed.stderr
    assert "small" in listed.stdout
    assert "large-v3" in listed.stdout
    assert f"In use: the model folder {tiny_model}" in listed.stdout
    checked = heard(["models", "check"], env)
    assert checked.returncode == 0, checked.stderr
    assert "works: " in checked.stdout
    assert "a second of silence transcribed" in checked.stdout


def test_fetching_a_model_without_internet_says_so(env):
    env["HF_ENDPOINT"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    env["HF_HOME"] = env["HEARD_DATA_DIR"] + "-hf"
    result = heard(["models", "fetch", "tiny"], env)
    assert result.returncode == 1
    assert "Could not fetch the model tiny" in result.stderr
    assert "this needs internet" in result.stderr
    assert "Traceback" not in result.stderr
