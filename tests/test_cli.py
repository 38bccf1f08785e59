"""The `heard` command as an operator uses it: in a subprocess, against real databases."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from heard.cli import COMMANDS
from tests.support.databases import empty_postgres_database, postgres_url
from tests.support.server import free_port

HEARD = [sys.executable, "-m", "heard.cli"]


def run(args: list[str], env: dict[str, str], stdin: str = "", timeout: int = 120):
    return subprocess.run(
        HEARD + args,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environ = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
        environ.pop(name, None)
    environ["HEARD_DATA_DIR"] = str(tmp_path / "data")
    return environ


def wait_for(url: str, seconds: float = 60) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@contextmanager
def serving(env: dict[str, str], port: int) -> Iterator[list[str]]:
    """`heard serve` on `port`, answering at /setup/ inside the block; once it has stopped, the
    list holds what it printed."""
    server = subprocess.Popen(
        [*HEARD, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed: list[str] = []
    try:
        assert wait_for(f"http://127.0.0.1:{port}/setup/") == 200
        yield printed
    finally:
        server.terminate()
        printed.append(server.communicate(timeout=30)[0])


def test_help_lists_every_command(env):
    result = run(["--help"], env)
    assert result.returncode == 0
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        "serve",
        "demo",
        "migrate",
        "createuser",
        "worker",
        "backup",
        "restore",
        "convert",
        "transcribe",
        "models",
    ],
)
def test_each_command_has_help(env, command):
    result = run([command, "--help"], env)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def test_unknown_command_is_an_error(env):
    result = run(["launch"], env)
    assert result.returncode == 2
    assert "unknown command 'launch'" in result.stderr


def test_serve_on_sqlite_migrates_backs_up_and_binds_loopback(env, tmp_path):
    port = free_port()
    env["HEARD_INPROCESS_WORKER"] = "false"
    for attempt in range(2):
        with serving(env, port) as printed:
            pass
        output = printed[0]
        assert "Heard is running at http://127.0.0.1:" in output
        if attempt == 0:
            assert "open http://127.0.0.1:" in output
            assert "/setup/" in output
    backups = list((tmp_path / "data" / "backups").glob("heard-*.sqlite3"))
    assert len(backups) == 1  # the second start backed up what the first created


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_a_start_prints_no_warning(env, command):
    """A newcomer reads any warning as an error: none on start, nor on the first static file."""
    port = free_port()
    env["HEARD_INPROCESS_WORKER"] = "false"
    server = subprocess.Popen(
        [*HEARD, command, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(f"http://127.0.0.1:{port}/static/heard/heard.css", seconds=120) == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/heard/heard.css") as css:
            assert b".topbar" in css.read()
    finally:
        server.terminate()
        stdout, stderr = server.communicate(timeout=30)
    assert "Heard is running at" in stdout
    assert "Warning" not in stderr, stderr
    assert "No directory at" not in stderr, stderr


def test_createuser_makes_an_owner_with_a_workspace(env):
    assert run(["migrate"], env).returncode == 0
    result = run(
        [
            "createuser",
            "--email",
            "Ana@Example.org",
            "--name",
            "Ana",
            "--workspace",
            "Ana's team",
            "--password-stdin",
        ],
        env,
        stdin="a long and unusual passphrase\n",
    )
    assert result.returncode == 0, result.stderr
    assert "owner of workspace" in result.stdout
    again = run(
        ["createuser", "--email", "ana@example.org", "--name", "Ana", "--password-stdin"],
        env,
        stdin="a long and unusual passphrase\n",
    )
    assert again.returncode != 0
    assert "exists already" in again.stderr


def test_createuser_refuses_a_weak_password(env):
    run(["migrate"], env)
    result = run(
        ["createuser", "--email", "bo@example.org", "--name", "Bo", "--password-stdin"],
        env,
        stdin="password\n",
    )
    assert result.returncode != 0
    assert "too common" in result.stderr or "too short" in result.stderr


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    with empty_postgres_database("heard_cli") as name:
        yield postgres_url(name)


def test_serve_on_postgres_refuses_unapplied_migrations(env, empty_postgres_url):
    env["DATABASE_URL"] = empty_postgres_url
    result = run(["serve", "--port", str(free_port())], env)
    assert result.returncode == 1
    assert "Run `heard migrate`" in result.stderr
    assert run(["migrate"], env).returncode == 0


def _post_setup(base: str) -> tuple[list[str], int]:
    """Create the owner on the first-run page, as a browser would: the Set-Cookie headers of
    the page and of the answer to the form, and the answer's status. (The cookies are sent
    back by hand: a Secure cookie is not, over http.)"""
    with urllib.request.urlopen(f"{base}/setup/") as page:
        cookies = page.headers.get_all("Set-Cookie") or []
        html = page.read().decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    csrf_cookie = next(c for c in cookies if c.startswith("csrftoken=")).split(";", 1)[0]
    form = {
        "csrfmiddlewaretoken": token,
        "name": "Ana",
        "email": "ana@example.org",
        "password": "a long and unusual passphrase",
        "password_again": "a long and unusual passphrase",
        "workspace_name": "Ana's team",
    }

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    request = urllib.request.Request(
        f"{base}/setup/", urllib.parse.urlencode(form).encode(), headers={"Cookie": csrf_cookie}
    )
    try:
        answer = urllib.request.build_opener(NoRedirect()).open(request)
    except urllib.error.HTTPError as error:
        answer = error
    cookies += answer.headers.get_all("Set-Cookie") or []
    return cookies, answer.status


def test_data_files_are_private_and_cookies_secure_over_https(env, tmp_path):
    """Nothing under the data folder is readable by other accounts: not what `heard serve`
    creates (the database, its -wal and -shm, the secret key, backups), and not what an earlier
    version left readable, which a start fixes. Served at an https:// address, the session and
    CSRF cookies are Secure."""
    port = free_port()
    data = tmp_path / "data"
    env |= {"HEARD_INPROCESS_WORKER": "false", "HEARD_BASE_URL": "https://heard.example.org"}
    env.pop("HEARD_SECURE_COOKIES", None)

    def serve_and_set_up() -> tuple[list[str], int]:
        with serving(env, port):
            return _post_setup(f"http://127.0.0.1:{port}")

    cookies, status = serve_and_set_up()
    assert status == 302
    by_name = {cookie.split("=", 1)[0]: cookie for cookie in cookies}
    assert {"csrftoken", "sessionid"} <= set(by_name)
    for name in ("csrftoken", "sessionid"):
        assert "Secure" in by_name[name], by_name[name]

    def loose() -> list[str]:
        found = [data, *data.rglob("*")]
        names = {path.name for path in found}
        assert {"heard.sqlite3", "secret_key"} <= names, names
        return [
            f"{path.relative_to(tmp_path)} {stat.filemode(path.stat().st_mode)}"
            for path in found
            if path.stat().st_mode & 0o077
        ]

    assert loose() == []
    # As an earlier version left them: readable by everyone. The next start fixes them all.
    for path in [data, *data.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    serve_and_set_up()
    assert loose() == []
    assert list((data / "backups").glob("heard-*.sqlite3"))


def test_serve_waits_for_a_database_another_program_holds_locked(env, tmp_path):
    """Started while another program holds the SQLite file's write lock past the busy
    timeout, `heard serve` waits and starts once it is let go, instead of stopping: its system
    check no longer waits on the lock to ask whether SQLite has JSON (and took a timeout for
    "no"), and migrating waits for the lock."""
    import sqlite3
    import threading

    (tmp_path / "data").mkdir()
    env["HEARD_INPROCESS_WORKER"] = "false"
    env["HEARD_DB_BUSY_TIMEOUT"] = "1"
    holder = sqlite3.connect(
        tmp_path / "data" / "heard.sqlite3", isolation_level=None, check_same_thread=False
    )
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(4, holder.rollback)
    released.start()
    try:
        with serving(env, free_port()) as printed:
            pass
    finally:
        released.join()
        holder.close()
    output = printed[0]
    assert "locked by another program; waiting" in output
    assert "Heard is running at" in output
