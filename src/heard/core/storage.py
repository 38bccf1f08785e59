"""Stored files: Django's default storage, the data folder or an S3-compatible object store.

The data folder (`MEDIA_ROOT`) keeps them by default. With `HEARD_STORAGE_URL` set, an object
store does (django-storages' S3 backend, boto3), and every web and worker machine reads and
writes the same files. Nothing is ever served from a public address: views check access and
then stream the file, or send the browser to a short-lived signed address of the store
(`HEARD_STORAGE_REDIRECT_SECONDS`).

Code that needs a real file on disk (PyAV reads one) asks `local_copy`: the file itself in
the data folder, or a private temporary copy of the object, fetched a piece at a time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage, storages

from heard.conf import ObjectStore
from heard.core.private import private_folder

PIECE_BYTES = 1024 * 1024
# An object read through the S3 backend is spooled to disk past this size, never held whole.
SPOOL_BYTES = 8 * 1024 * 1024


def object_store_options(
    store: ObjectStore, *, access_key: str, secret_key: str, redirect_seconds: int
) -> dict[str, Any]:
    """The S3 backend's options for `store` (settings.STORAGES)."""
    options: dict[str, Any] = {
        "bucket_name": store.bucket,
        "location": store.prefix,
        "file_overwrite": False,
        "default_acl": None,
        # Signed addresses, for the redirect; objects themselves stay private.
        "querystring_auth": True,
        "querystring_expire": redirect_seconds or 60,
        "max_memory_size": SPOOL_BYTES,
    }
    if store.endpoint:
        options["endpoint_url"] = store.endpoint
    if store.region:
        options["region_name"] = store.region
    if store.addressing:
        options["addressing_style"] = store.addressing
    if access_key:
        options["access_key"] = access_key
        options["secret_key"] = secret_key
    return options


def on_disk() -> bool:
    """Whether stored files are files of this machine (the data folder)."""
    return isinstance(storages["default"], FileSystemStorage)


class LocalFile(File):
    """A finished file on this machine, handed to the storage: the data folder's storage moves
    it into place (one rename on the same disk) instead of copying it."""

    def __init__(self, path: Path) -> None:
        super().__init__(path.open("rb"), name=path.name)
        self.path = path

    def temporary_file_path(self) -> str:
        return str(self.path)


def store(name: str, path: Path) -> str:
    """Keep the file at `path` under `name` (or a free name beside it); the name it got. The
    file at `path` is gone afterwards."""
    local = LocalFile(path)
    try:
        stored = default_storage.save(name, local)
    finally:
        local.close()
    path.unlink(missing_ok=True)
    return stored


def scratch_folder() -> Path:
    """The private folder of files on their way in or out (uploads in pieces, copies)."""
    return private_folder(Path(settings.HEARD_UPLOAD_DIR))


@contextmanager
def local_copy(name: str | None) -> Iterator[Path]:
    """A path on this machine that holds the stored file `name`, for as long as the block
    runs: the file itself in the data folder, or a private copy of the object."""
    if not name:
        raise FileNotFoundError("The recording has no stored file.")
    if on_disk():
        yield Path(default_storage.path(name))
        return
    handle, raw = tempfile.mkstemp(prefix=".heard-", suffix=".tmp", dir=scratch_folder())
    path = Path(raw)
    try:
        with os.fdopen(handle, "wb") as copy, default_storage.open(name, "rb") as stored:
            shutil.copyfileobj(stored, copy, PIECE_BYTES)
        yield path
    finally:
        path.unlink(missing_ok=True)


def signed_url(name: str, *, disposition: str = "", content_type: str = "") -> str | None:
    """A short-lived address of the stored file for the browser to fetch, where the storage
    is an object store and `HEARD_STORAGE_REDIRECT_SECONDS` asks for one; else None. The
    store answers with the Content-Disposition and Content-Type given."""
    if on_disk() or not settings.HEARD_STORAGE_REDIRECT_SECONDS:
        return None
    parameters = {}
    if disposition:
        parameters["ResponseContentDisposition"] = disposition
    if content_type:
        parameters["ResponseContentType"] = content_type
    url: str = storages["default"].url(  # type: ignore[call-arg]
        name, parameters=parameters, expire=settings.HEARD_STORAGE_REDIRECT_SECONDS
    )
    return url


def delete(*names: str | None) -> None:
    """Delete stored files; a name that is empty or already gone is no error."""
    for name in names:
        if name:
            default_storage.delete(name)


def open_range(name: str, start: int, end: int) -> IO[bytes]:
    """The stored file `name` opened to read from byte `start` (to `end` at most): a seek in
    the data folder, a ranged GET of the object in an object store (never the whole object)."""
    if on_disk():
        handle = default_storage.open(name, "rb")
        handle.seek(start)
        return handle
    from storages.utils import clean_name

    backend: Any = storages["default"]
    obj = backend.bucket.Object(backend._normalize_name(clean_name(name)))
    body: IO[bytes] = obj.get(Range=f"bytes={start}-{end}")["Body"]
    return body
