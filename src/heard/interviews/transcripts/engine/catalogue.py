"""Speech models by name: the catalogue, what is in the data folder, fetching one.

`HEARD_WHISPER_MODEL` names a model of the catalogue (in `<data>/models/<name>` once an
administrator has fetched it with `heard models fetch NAME`) or the path of a CTranslate2 model
folder already on the machine (one copied from a machine with internet, or one a package
ships): both are loaded by the same code. Only that command downloads: a transcription never
does, so that Heard reaches no other machine unless someone asks it to.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from heard.interviews.transcripts.engine.errors import ModelError

# A folder without its tokenizer would load, but faster-whisper would then download one from
# Hugging Face by itself (through the tokenizers library, unseen by Heard) on every load.
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")
FETCHED_FILES = [
    "config.json",
    "preprocessor_config.json",
    "model.bin",
    "tokenizer.json",
    "vocabulary.*",
]


@dataclass(frozen=True)
class CatalogueModel:
    name: str
    repository: str  # where it is fetched from
    size_mb: int  # about, on disk
    note: str


CATALOGUE: dict[str, CatalogueModel] = {
    model.name: model
    for model in (
        CatalogueModel("tiny.en", "Systran/faster-whisper-tiny.en", 75, "English; fastest"),
        CatalogueModel("tiny", "Systran/faster-whisper-tiny", 75, "multilingual; fastest"),
        CatalogueModel("base.en", "Systran/faster-whisper-base.en", 145, "English"),
        CatalogueModel("base", "Systran/faster-whisper-base", 145, "multilingual"),
        CatalogueModel("small.en", "Systran/faster-whisper-small.en", 485, "English"),
        CatalogueModel("small", "Systran/faster-whisper-small", 485, "multilingual; the default"),
        CatalogueModel("medium.en", "Systran/faster-whisper-medium.en", 1530, "English"),
        CatalogueModel("medium", "Systran/faster-whisper-medium", 1530, "multilingual"),
        CatalogueModel(
            "large-v3", "Systran/faster-whisper-large-v3", 3090, "multilingual; most accurate"
        ),
        CatalogueModel(
            "turbo",
            "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
            1620,
            "multilingual; near large-v3, much faster (best with a GPU)",
        ),
        CatalogueModel(
            "distil-large-v3",
            "Systran/faster-distil-whisper-large-v3",
            1510,
            "English; fast on a GPU",
        ),
    )
}


def models_dir() -> Path:
    """Where fetched models live: `models` in the data folder."""
    return Path(settings.DATA_DIR) / "models"


def is_model_folder(path: Path) -> bool:
    return path.is_dir() and all((path / name).is_file() for name in MODEL_FILES)


def looks_like_path(spec: str) -> bool:
    return "/" in spec or os.sep in spec or spec.startswith(("~", "."))


def local_path(name: str) -> Path | None:
    """The fetched copy of a catalogue model, when it is here."""
    path = models_dir() / name
    return path if is_model_folder(path) else None


def resolve(spec: str) -> Path:
    """The folder of the model `spec` names. A catalogue model that is not here yet is not
    fetched: the message says how to fetch it, or to name a folder on this machine."""
    spec = spec.strip()
    if not spec:
        raise ModelError("No speech model is set: set HEARD_WHISPER_MODEL.")
    if not looks_like_path(spec) and spec in CATALOGUE:
        found = local_path(spec)
        if found:
            return found
        raise ModelError(
            f"The model {spec} is not here yet: run `heard models fetch {spec}` (it downloads "
            f"about {CATALOGUE[spec].size_mb:,} MB from Hugging Face), or set "
            "HEARD_WHISPER_MODEL to a model folder on this machine."
        )
    path = Path(spec).expanduser()
    if not looks_like_path(spec) and not path.is_dir():
        names = ", ".join(CATALOGUE)
        raise ModelError(
            f"Unknown model {spec!r}: name one of {names}, or the path of a CTranslate2 "
            "model folder."
        )
    if not path.is_dir():
        raise ModelError(f"No model folder at {path}.")
    if not is_model_folder(path):
        raise ModelError(
            f"{path} is not a CTranslate2 speech model folder (it needs "
            f"{', '.join(MODEL_FILES[:-1])} and {MODEL_FILES[-1]})."
        )
    return path.resolve()


def fetch(name: str) -> Path:
    """Download a catalogue model into the data folder, with a progress bar on the terminal.

    It goes into a hidden folder first (a broken-off download resumes there) and takes its
    name only once complete, so a half-fetched model is never taken for a whole one.
    """
    if name not in CATALOGUE:
        raise ModelError(f"Unknown model {name!r}: name one of {', '.join(CATALOGUE)}.")
    final = models_dir() / name
    if is_model_folder(final):
        return final
    partial = models_dir() / f".partial-{name}"
    partial.mkdir(parents=True, exist_ok=True)
    import huggingface_hub

    try:
        huggingface_hub.snapshot_download(
            CATALOGUE[name].repository, local_dir=partial, allow_patterns=FETCHED_FILES
        )
    except Exception as error:  # any failure of the network or the server, said in words
        raise ModelError(
            f"Could not fetch the model {name} ({type(error).__name__}): this needs "
            "internet. On a machine without it, copy a CTranslate2 model folder here and set "
            "HEARD_WHISPER_MODEL to its path."
        ) from None
    if not is_model_folder(partial):
        raise ModelError(f"The model {name} was fetched incomplete: try again.")
    shutil.rmtree(partial / ".cache", ignore_errors=True)
    try:
        partial.rename(final)
    except OSError:  # another process fetched it meanwhile
        if not is_model_folder(final):
            raise ModelError(f"Could not put the model {name} into {final}.") from None
        shutil.rmtree(partial, ignore_errors=True)
    return final
