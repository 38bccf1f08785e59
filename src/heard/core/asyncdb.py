"""Database work from async code: in the thread pool, with connections handed back after."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from asgiref.sync import sync_to_async
from django.db import close_old_connections


def in_thread[**P, R](function: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """Run `function` in the thread pool, then release the thread's connections the way a
    request's end would: back into the pool (PostgreSQL), or kept open for the thread's next
    call (SQLite) unless broken or too old."""

    @functools.wraps(function)
    def run_and_release(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    return sync_to_async(run_and_release, thread_sensitive=False)
