from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from heard.interviews.transcripts.engine import TranscriptionError
from heard.interviews.transcripts.engine.catalogue import CATALOGUE, fetch, local_path, models_dir
from heard.interviews.transcripts.engine.whisper import FasterWhisperEngine, WhisperSetup


class Command(BaseCommand):
    help = (
        "The speech models: list the catalogue and what is here (no argument), fetch one "
        "into the data folder (fetch NAME, needs internet), or check that one loads and "
        "runs (check [NAME|PATH], HEARD_WHISPER_MODEL by default)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", nargs="?", choices=["list", "fetch", "check"], default="list")
        parser.add_argument("model", nargs="?", help="A model's name, or a model folder to check.")

    def handle(self, *args: Any, **options: Any) -> None:
        action, model = options["action"], options["model"]
        try:
            if action == "fetch":
                if not model:
                    raise CommandError("Name the model to fetch, e.g. `heard models fetch small`.")
                self._fetch(model)
            elif action == "check":
                self._check(model or settings.HEARD_WHISPER_MODEL)
            else:
                self._list()
        except TranscriptionError as error:
            raise CommandError(str(error)) from None

    def _list(self) -> None:
        configured = settings.HEARD_WHISPER_MODEL
        self.stdout.write(f"Models in {models_dir()}; HEARD_WHISPER_MODEL is {configured}.\n")
        self.stdout.write(f"  {'NAME':<17}{'SIZE':>8}  {'HERE':<5} ABOUT")
        for model in CATALOGUE.values():
            here = "yes" if local_path(model.name) else "-"
            chosen = "  (in use)" if model.name == configured else ""
            size = f"{model.size_mb:,} MB"
            self.stdout.write(f"  {model.name:<17}{size:>8}  {here:<5} {model.note}{chosen}")
        if configured not in CATALOGUE:
            self.stdout.write(f"\nIn use: the model folder {configured}.")
        self.stdout.write(
            "\nFetch one with `heard models fetch NAME`; check one with `heard models check`."
        )

    def _fetch(self, name: str) -> None:
        if local_path(name):
            self.stdout.write(f"{name} is already here: {local_path(name)}")
            return
        self.stderr.write(
            f"Fetching {name} (about {CATALOGUE[name].size_mb:,} MB)…" if name in CATALOGUE else ""
        )
        path = fetch(name)
        self.stdout.write(f"Fetched {name} into {path}.")

    def _check(self, spec: str) -> None:
        started = time.monotonic()
        engine = FasterWhisperEngine(WhisperSetup.from_settings(model=spec))
        loaded = time.monotonic() - started
        started = time.monotonic()
        silence = np.zeros(engine.sample_rate, dtype=np.float32)
        stretch = engine.transcribe(silence, language=None, prompt="")
        said = [segment.text for segment in stretch.segments]
        ran = time.monotonic() - started
        self.stdout.write(
            f"{spec} works: {engine.description}; loaded in {loaded:.1f} s, a second of "
            f"silence transcribed in {ran:.1f} s"
            + (f" (it heard {' '.join(said)!r})." if said else ".")
        )
