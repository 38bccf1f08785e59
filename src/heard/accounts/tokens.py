"""The secrets of links that let someone in (an invitation, a sign-in link, a calendar
feed's address): a new random token, and the SHA-256 hash of it that is stored in its place."""

from __future__ import annotations

import hashlib
import secrets


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A secret for a link, and the hash of it that is stored (never the secret itself)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)
