"""Database work from async code: in a small thread pool, with connections handed back after."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections


@functools.cache
def pool() -> ThreadPoolExecutor:
    """The threads of this process that do async views' database work (HEARD_DB_THREADS).

    A small pool of its own rather than the event loop's default one: under load, every
    extra thread that runs Python makes the others wait longer for the interpreter lock,
    the one holding a write transaction included.
    """
    return ThreadPoolExecutor(settings.HEARD_DB_THREADS, thread_name_prefix="heard-db")


class PoolClosed(RuntimeError):
    """The process is exiting: its pool takes no more work."""


def in_thread[**P, R](function: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """Run `function` in the pool, then release the thread's connections the way a request's
    end would: back into the pool (PostgreSQL), or kept open for the thread's next call
    (SQLite) unless broken or too old."""

    @functools.wraps(function)
    def run_and_release(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    async def call(*args: P.args, **kwargs: P.kwargs) -> R:
        run = sync_to_async(run_and_release, thread_sensitive=False, executor=pool())
        try:
            return await run(*args, **kwargs)
        except RuntimeError as error:
            if "after shutdown" in str(error):  # concurrent.futures' own words
                raise PoolClosed(str(error)) from error
            raise

    return call
