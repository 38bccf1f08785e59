"""The API itself: one `NinjaAPI` at `/api/v1/`, let in by personal access tokens, answering
errors in JSON as `{"detail": ...}`, with cursor pages and ETags.

Each resource is a router of its own (`api/resources/`) whose operations call the same
access checks the pages call (`get_study_for(request, ws, pk, need)` and the rest), with the
token's workspace as `ws`: a token's request is its owner's, lowered to the token's role.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from pydantic import model_validator

from heard.accounts.access import Need, membership_for
from heard.accounts.models import Membership, Role
from heard.api import tokens
from heard.api.models import ApiToken

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PAGE_LIMIT = 100

DESCRIPTION = """Heard's API: the studies, participants, interviews, notes, transcripts,
summaries, matrix, findings and decisions of one workspace.

Sign in with a personal access token (made on the workspace's **API tokens** page, or with
`heard tokens create`), sent as `Authorization: Bearer heard_…`. A token acts as its owner,
with its role (never higher than theirs) and, if read-only, for reading alone.

Lists come in pages: pass the `next_cursor` of a page as `cursor` for the next one; `null`
means there is no more. Lists of things that change take `updated_since` for keeping a copy
in step: the things changed at or after that time, oldest change first. Every answer carries
an `ETag`; send it back as `If-None-Match` to get `304 Not Modified` when nothing changed.
Errors are JSON: `{"detail": "..."}`."""


class TokenAuth(HttpBearer):
    """A personal access token in the `Authorization` header: its owner, lowered to its role,
    counted against its rate limit."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = tokens.find(token.strip())
        if found is None:
            raise AuthenticationError(401, "This token is unknown, revoked or expired.")
        made, retry_after = tokens.count_request(found)
        if made > tokens.limit_per_minute():
            raise RateLimited(retry_after)
        if found.read_only and request.method not in SAFE_METHODS:
            raise HttpError(403, "This token is read-only.")
        request.user = found.user
        ceiling = Role.OBSERVER if found.read_only else found.role_enum
        request.role_ceiling = ceiling  # type: ignore[attr-defined]
        return found


class RateLimited(HttpError):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(429, f"Too many requests: try again in {retry_after} s.")


api = NinjaAPI(
    title="Heard",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(request, 429, exc.message)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message if exc.message != "Unauthorized" else "Send a token: Bearer heard_…"
    response = _error(request, 401, message)
    response["WWW-Authenticate"] = 'Bearer realm="Heard"'
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "Your role cannot do this.")


@api.exception_handler(ModelValidationError)
def _invalid(request: HttpRequest, exc: ModelValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail: Any = [
            {"loc": ["body", field], "msg": " ".join(str(m) for m in messages)}
            for field, messages in exc.message_dict.items()
        ]
    else:
        detail = " ".join(exc.messages)
    return _error(request, 422, detail)


def token_of(request: HttpRequest) -> ApiToken:
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):  # every operation requires a token
        raise AuthenticationError()
    return token


def member(request: HttpRequest, need: Need = Need.VIEW) -> Membership:
    """The token owner's membership of the token's workspace, lowered to the token's role;
    403 if that role lacks `need` (the pages' own check)."""
    return membership_for(request, token_of(request).workspace.slug, need)  # type: ignore[arg-type]


def ws(request: HttpRequest) -> str:
    """The token's workspace's slug, as the access checks of the pages take it."""
    return token_of(request).workspace.slug


def _refuse_unstorable(value: Any) -> Any:
    """`value` (a request's fields, nested), if every text in it can be stored: a NUL
    character (which PostgreSQL refuses in text) or half of a UTF-16 surrogate pair (which no
    UTF-8 database can hold) is refused with 422 rather than failing at the database."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("Text may not contain the NUL character (\\u0000).")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("Text may not contain half of a surrogate pair.") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_unstorable(key)
            _refuse_unstorable(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_unstorable(item)
    return value


class Checked(Schema):
    """What a request sends (a query or a body): its text must be text a database keeps."""

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, values: Any) -> Any:
        return _refuse_unstorable(values)


class Paged(Checked):
    """The query of a list: where to go on from, and how many."""

    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=PAGE_LIMIT, ge=1, le=PAGE_LIMIT)


class Synced(Paged):
    """The query of a list a copy is kept in step with."""

    updated_since: datetime.datetime | None = None


class Page[T](Schema):
    items: list[T]
    next_cursor: str | None = None


def cursor_text(values: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _cursor_values(cursor: str) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        values = None
    if not isinstance(values, dict) or not isinstance(values.get("i"), int | str):
        raise HttpError(400, "This cursor is not one this API gave: start from the first page.")
    return values


def aware(moment: datetime.datetime) -> datetime.datetime:
    """A time as given, in UTC where it names no zone; one that UTC cannot hold (the first
    hours of year 1 east of Greenwich, the last of 9999 west of it) is refused with 422."""
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        raise HttpError(422, f"{moment.isoformat()} is outside the times Heard keeps.") from None


def page[M: Model](
    rows: QuerySet[M],
    make: Callable[[list[M]], Iterable[Any]],
    asked: Paged,
    *,
    key: str = "id",
) -> dict[str, Any]:
    """The page of `rows` the query `asked` names, each made an item by `make` (given the
    whole page, so it may read what the items need in one query): in the order of `key`
    (unique among `rows`), or, where the query is `Synced` and names an `updated_since`, of
    the time of their last change and then `key`, from that time on. The
    cursor names the last row's place in that order, so a page is read along an index however
    far in, and a row changed while a client pages comes again later rather than being
    skipped."""
    cursor, limit = asked.cursor, max(1, min(asked.limit, PAGE_LIMIT))
    updated_since = asked.updated_since if isinstance(asked, Synced) else None
    by_change = updated_since is not None
    if updated_since is not None:
        rows = rows.filter(updated_at__gte=aware(updated_since))
    if cursor:
        values = _cursor_values(cursor)
        after = values["i"]
        try:
            if by_change:
                moment = datetime.datetime.fromisoformat(str(values.get("u")))
                moment = moment.astimezone(datetime.UTC)
                rows = rows.filter(
                    Q(updated_at__gt=moment) | Q(updated_at=moment, **{f"{key}__gt": after})
                )
            else:
                rows = rows.filter(**{f"{key}__gt": after})
        except (ValueError, OverflowError, ModelValidationError):
            raise HttpError(400, "This cursor belongs to another list: start again.") from None
    order = ("updated_at", key) if by_change else (key,)
    found = list(rows.order_by(*order)[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    next_cursor = None
    if more:
        last = found[-1]
        value = getattr(last, key)
        values = {"i": value if isinstance(value, int) else str(value)}
        if by_change:
            values["u"] = last.updated_at.isoformat()  # type: ignore[attr-defined]
        next_cursor = cursor_text(values)
    return {"items": list(make(found)), "next_cursor": next_cursor}
