"""Calling the API as a token's holder."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.test import Client

from heard.accounts.models import Role, User, Workspace
from heard.api import tokens


class ApiClient:
    """A test client that sends a token with every request, and JSON bodies."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        data = json.dumps(body) if body is not None and not isinstance(body, str | bytes) else body
        return self.client.generic(
            method,
            path if path.startswith("/") else f"/api/v1/{path}",
            data or "",
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def get(self, path: str, **params: Any) -> Any:
        query = urlencode(params)
        return self.call("GET", f"{path}?{query}" if query else path)

    def post(self, path: str, body: Any) -> Any:
        return self.call("POST", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self.call("PUT", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.call("PATCH", path, body)

    def delete(self, path: str) -> Any:
        return self.call("DELETE", path)


def token_client(
    workspace: Workspace, user: User, *, role: Role | None = None, read_only: bool = False
) -> ApiClient:
    made = tokens.create(workspace, user, name="Tests", role=role, read_only=read_only)
    return ApiClient(made.secret)
