"""Settings for the test suite: the real ones, with a throwaway data folder and a fast hasher."""

import os
import tempfile

os.environ.setdefault("HEARD_DATA_DIR", tempfile.mkdtemp(prefix="heard-test-"))

from heard.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_AUTOREFRESH = True
