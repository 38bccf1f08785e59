"""HEARD_EMAIL_URL and HEARD_EMAIL_FROM: one clear form, and a bad value stops start-up."""

from __future__ import annotations

import pytest

from heard.conf import MailServer, SettingError, read_settings


@pytest.mark.parametrize(
    ("url", "server"),
    [
        ("", None),
        ("smtp://mail.example.org", MailServer("mail.example.org", 25, "none")),
        (
            "smtp+starttls://me%40example.org:p%40ss%3Aw@mail.example.org",
            MailServer("mail.example.org", 587, "starttls", "me@example.org", "p@ss:w"),
        ),
        ("smtps://mail.example.org:2465", MailServer("mail.example.org", 2465, "tls")),
    ],
)
def test_the_mail_server_url_is_understood(url: str, server: MailServer | None):
    values = read_settings({"HEARD_EMAIL_URL": url, "HEARD_EMAIL_FROM": "heard@example.org"})
    assert values["HEARD_EMAIL_URL"] == server


def test_a_mail_server_needs_the_address_mail_comes_from():
    """Without it, mail went out From a person's account email, which nobody verified."""
    with pytest.raises(SettingError, match="HEARD_EMAIL_FROM is needed with HEARD_EMAIL_URL"):
        read_settings({"HEARD_EMAIL_URL": "smtp://mail.example.org"})
    assert read_settings({})["HEARD_EMAIL_FROM"] == ""  # no server: .eml files from the person


@pytest.mark.parametrize(
    "url",
    [
        "mail.example.org",
        "http://mail.example.org",
        "smtp://",
        "smtp://mail.example.org:99999",
        "smtp://mail.example.org/inbox",
        "smtp://mail.example.org?starttls=true",
    ],
)
def test_a_bad_mail_server_url_names_the_variable(url: str):
    with pytest.raises(SettingError, match="HEARD_EMAIL_URL"):
        read_settings({"HEARD_EMAIL_URL": url})


def test_the_password_is_not_shown_where_settings_are_printed():
    server = read_settings(
        {"HEARD_EMAIL_URL": "smtps://me:secret@mail.example.org", "HEARD_EMAIL_FROM": "a@b.org"}
    )
    assert "secret" not in repr(server["HEARD_EMAIL_URL"])


@pytest.mark.parametrize(
    "address", ["heard", "research@localhost", "Research <research@example.org>\nBcc: x@y.org"]
)
def test_a_bad_from_address_names_the_variable(address: str):
    with pytest.raises(SettingError, match="HEARD_EMAIL_FROM"):
        read_settings({"HEARD_EMAIL_FROM": address})


def test_a_from_address_with_a_name_is_kept():
    value = "Research team <research@example.org>"
    assert read_settings({"HEARD_EMAIL_FROM": value})["HEARD_EMAIL_FROM"] == value
