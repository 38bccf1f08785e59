"""The faults of bench/faults.py, injected at random moments: SIGKILL of every process of
`heard serve` or of `heard worker` (then a restart), the database's write lock held from another
connection, a person's next request cut just after it was sent; and a watch that restarts (and
counts) a process that stopped by itself."""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import time
from typing import Any

from fault_users import Person, Tally
from support import Group, Server, Worker

# Most holds are short; one in five outlasts SQLite's busy timeout (5 s) by far.
SHORT_HOLD_S, LONG_HOLD_S, LONG_HOLDS = (0.2, 3.0), (6.0, 12.0), 0.2


class Faults:
    """Injects the faults at random moments until `until`; counts each in the tally."""

    def __init__(self, tally: Tally, args: argparse.Namespace, people: list[Person]) -> None:
        self.tally = tally
        self.args = args
        self.people = people
        self.log = print
        self.handling: set[str] = set()  # groups being killed and restarted here
        self.watching = True  # until the end of the drain: a crash then is restarted too

    async def run(self, server: Server, worker: Worker, lock: Any, until: float) -> None:
        kill_every = (self.args.kill_every * 0.5, self.args.kill_every * 1.5)
        loops = [
            self.kill_loop(server, "SIGKILL heard serve", kill_every, until),
            self.kill_loop(worker, "SIGKILL heard worker", kill_every, until),
            self.drop_loop(until),
        ]
        if lock is not None:
            loops.append(self.lock_loop(lock, until))
        await asyncio.gather(*loops)

    async def kill_loop(
        self, group: Group, fault: str, every: tuple[float, float], until: float
    ) -> None:
        while True:
            await asyncio.sleep(random.uniform(*every))
            if time.monotonic() >= until:
                return
            self.handling.add(group.name)
            await asyncio.to_thread(group.kill)
            self.tally.faults[fault] += 1
            await asyncio.sleep(random.uniform(0, 1))
            await self.restart(group)
            self.handling.discard(group.name)

    async def watch(self, group: Group) -> None:
        """A process that stopped by itself (not killed here) is a crash: count it, restart."""
        while self.watching:
            await asyncio.sleep(1)
            if group.name in self.handling or group.process is None:
                continue
            process = group.process
            if process.poll() is not None:
                self.tally.crashes[group.name] += 1
                self.log(f"  {group.name} stopped by itself (exit {process.returncode}): restarted")
                self.handling.add(group.name)
                await asyncio.to_thread(group.kill)
                await self.restart(group)
                self.handling.discard(group.name)

    async def restart(self, group: Group) -> None:
        for attempt in range(5):
            try:
                await asyncio.to_thread(group.start)
                return
            except RuntimeError as error:
                self.tally.crashes[f"{group.name} at start"] += 1
                self.log(f"  {group.name} did not start (try {attempt + 1}): {error}")
                await asyncio.to_thread(group.kill)
        raise RuntimeError(f"{group.name} did not start five times running")

    async def drop_loop(self, until: float) -> None:
        """Mark a person's next request to be cut after sending (counted when it is)."""
        while time.monotonic() < until:
            await asyncio.sleep(random.uniform(0.5, 1.5) * self.args.drop_every)
            random.choice(self.people).drop_next = True

    async def lock_loop(self, lock: Any, until: float) -> None:
        while True:
            await asyncio.sleep(random.uniform(0.5, 1.5) * self.args.lock_every)
            if time.monotonic() >= until:
                return
            hold = LONG_HOLD_S if random.random() < LONG_HOLDS else SHORT_HOLD_S
            await asyncio.to_thread(lock, random.uniform(*hold))
            self.tally.faults["database lock held"] += 1


def sqlite_lock(path: str) -> Any:
    def hold(seconds: float) -> None:
        connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            time.sleep(seconds)
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    return hold


def postgres_lock(url: str, table: str, interviews: list[int]) -> Any:
    """A transaction left idle while it holds the row locks of a fifth of the interviews:
    every note and question state of those interviews waits for it."""

    def hold(seconds: float) -> None:
        import psycopg
        from psycopg import sql

        statement = sql.SQL("SELECT id FROM {} WHERE id = ANY(%s) FOR UPDATE")
        chosen = random.sample(interviews, max(1, len(interviews) // 5))
        with psycopg.connect(url) as connection:
            connection.execute(statement.format(sql.Identifier(table)), [chosen])
            time.sleep(seconds)
            connection.rollback()

    return hold
