"""A progress bar for the command line, written to stderr so that stdout stays the result.

On a terminal it redraws one line (bar, percentage, position and time left); into a file or
a pipe it writes a line at every tenth of the way, so a log shows the progress too.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 28
REDRAW_S = 0.2


def clock(seconds: float) -> str:
    """1:02:03, or 2:03 under an hour."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class ProgressBar:
    """Progress through `total` seconds of something (a recording), with the time left."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.tenths_said = -1
        self.finished = False

    def update(self, done: float, total: float) -> None:
        if self.finished or total <= 0:
            return
        share = min(max(done / total, 0.0), 1.0)
        if self.tty:
            now = time.monotonic()
            if now - self.drawn_at < REDRAW_S and share < 1.0:
                return
            self.drawn_at = now
            filled = round(share * WIDTH)
            bar = "█" * filled + "░" * (WIDTH - filled)
            self.stream.write(f"\r{self.label} {bar} {share:4.0%}  {self._where(done, total)}")
            self.stream.flush()
        elif int(share * 10) > self.tenths_said:
            self.tenths_said = int(share * 10)
            self.stream.write(f"{self.label}: {share:.0%}  {self._where(done, total)}\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.tty and not self.finished and self.drawn_at:
            self.stream.write("\n")
            self.stream.flush()
        self.finished = True

    def _where(self, done: float, total: float) -> str:
        text = f"{clock(done)} / {clock(total)}"
        elapsed = time.monotonic() - self.started
        if done > 0 and elapsed > 1 and done < total:
            text += f", about {clock(elapsed / done * (total - done))} left"
        return text.ljust(40)
