"""Settings are strict, documented, and read in exactly one place."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from heard.conf import SETTINGS, SettingError, read_settings

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "settings.md"


def documented_names() -> set[str]:
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", DOC.read_text(), flags=re.MULTILINE))


def test_every_setting_is_documented_and_nothing_else():
    assert documented_names() == {setting.name for setting in SETTINGS}


def test_every_setting_has_help():
    for setting in SETTINGS:
        assert len(setting.help) > 20, setting.name


def test_defaults_parse():
    values = read_settings({})
    assert values["HEARD_PORT"] == 8000
    assert values["HEARD_INPROCESS_WORKER"] is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HEARD_PORT", "eighty"),
        ("HEARD_PORT", "70000"),
        ("HEARD_DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://x"),
        ("HEARD_BASE_URL", "heard.example.org"),
        ("HEARD_TIME_ZONE", "Mars/Olympus"),
        ("HEARD_LOGIN_MAX_FAILURES", "0"),
        ("HEARD_LOG_LEVEL", "LOUD"),
    ],
)
def test_a_bad_value_names_the_variable(name, value):
    with pytest.raises(SettingError, match=name):
        read_settings({name: value})


def test_a_bad_value_stops_start_up_with_a_message(tmp_path):
    env = os.environ | {"HEARD_DATA_DIR": str(tmp_path), "HEARD_PORT": "eighty"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "heard.cli", "migrate", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "HEARD_PORT='eighty' is not valid" in result.stderr


@pytest.mark.parametrize(
    ("environ", "secure"),
    [
        ({}, False),
        ({"HEARD_BASE_URL": "http://heard.example.org"}, False),
        ({"HEARD_BASE_URL": "https://heard.example.org"}, True),
        ({"HEARD_BASE_URL": "https://heard.example.org", "HEARD_SECURE_COOKIES": "false"}, False),
        ({"HEARD_BASE_URL": "http://heard.example.org", "HEARD_SECURE_COOKIES": "true"}, True),
    ],
)
def test_cookies_are_secure_when_heard_is_served_over_https(environ, secure):
    assert read_settings(environ)["HEARD_SECURE_COOKIES"] is secure


def test_https_base_url_makes_cookies_secure_and_turns_hsts_on(tmp_path):
    env = os.environ | {"HEARD_DATA_DIR": str(tmp_path), "HEARD_BASE_URL": "https://h.example"}
    for name in ("DJANGO_SETTINGS_MODULE", "HEARD_SECURE_COOKIES"):
        env.pop(name, None)
    code = (
        "from heard import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["True", "True", "31536000"], result.stderr


def test_the_environment_is_read_only_in_conf():
    offenders = []
    # cli.py and the server entry points only name the settings module; tests set a data dir.
    allowed = {"conf.py", "cli.py", "settings_test.py", "asgi.py", "wsgi.py"}
    for path in (ROOT / "src" / "heard").rglob("*.py"):
        text = path.read_text()
        if path.name not in allowed and ("os.environ" in text or "os.getenv" in text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_secret_key_is_generated_once_and_kept(tmp_path):
    from heard.conf import load_secret_key

    first = load_secret_key("", tmp_path)
    assert len(first) > 40
    assert load_secret_key("", tmp_path) == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert load_secret_key("configured", tmp_path) == "configured"
