"""The data folder holds personal data: the database, its backups, the secret key, uploads.
Nobody but the account Heard runs as may read it.

Every entry point (the `heard` command, the ASGI and WSGI applications, and the settings they
all load first) sets the umask to 0o077, so that whatever Heard creates — SQLite's database,
its `-wal` and `-shm` files, backups, the secret key, uploaded files, folders — is created
private. `tighten_tree` fixes what an earlier version created readable by others, at each
start of `heard serve`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def keep_files_private() -> None:
    """From now on, files and folders this process creates are its owner's alone."""
    os.umask(PRIVATE_UMASK)


def tighten(path: Path) -> None:
    """Take group's and others' rights away from a file or folder this account owns (one that
    belongs to another account, such as a data folder an administrator made, is left alone)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.geteuid():
        return
    if info.st_mode & PRIVATE_UMASK:
        path.chmod(stat.S_IMODE(info.st_mode) & ~PRIVATE_UMASK)


def private_folder(path: Path) -> Path:
    """`path`, created if needed (with its parents) for this account alone."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    tighten(path)
    return path


def private_file(path: Path) -> int:
    """Create a new file (never an existing one) for this account alone; the open descriptor
    to write it."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)


def tighten_tree(folder: Path) -> None:
    """`tighten` the folder and everything in it (links are not followed)."""
    tighten(folder)
    for root, folders, files in os.walk(folder):
        for name in folders + files:
            tighten(Path(root) / name)
