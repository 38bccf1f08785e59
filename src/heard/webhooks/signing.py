"""The signature of a webhook request: `Heard-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<raw body>" keyed with the webhook's secret>`. The receiver computes the same from the
body it read and the secret it was shown, and refuses a request whose time is far off, so an
old request sent again by someone else is refused too (`docs/webhooks.md`)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 (what a secret starts with, to tell it apart)


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes, at: int) -> str:
    """The `Heard-Signature` header of `body` sent at unix time `at`."""
    signed = str(at).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"
