"""The `heard` command: a handful of commands an operator needs, each with --help."""

from __future__ import annotations

import os
import sys
from pathlib import Path

COMMANDS = {
    "serve": "Start the web server (on SQLite: back up, migrate, run tasks in-process).",
    "demo": "Serve a demo workspace and print a one-time sign-in link.",
    "migrate": "Apply database migrations (needed before `serve` on PostgreSQL).",
    "createuser": "Create an account, and a workspace for it or a membership in one.",
    "worker": "Run queued background tasks and scheduled backups (team servers run one or more).",
    "backup": "Write the database and stored files into one archive.",
    "restore": "Restore an archive into an empty database and data folder.",
    "convert": "Convert a transcript between formats (vtt, srt, txt, json, docx); no database.",
    "transcribe": "Transcribe an audio or video file on this machine (no database needed).",
    "models": "List, fetch and check the speech models transcription uses.",
    "coach": "Class interview questions as the coach does (no database needed).",
    "participants": "Act on a participant's request: export everything about them, or erase them.",
    "tokens": "Make, list and revoke API tokens (for scripts and deployments).",
    "manage": "Any other Django management command, e.g. `heard manage shell`.",
}


def usage() -> str:
    lines = ["usage: heard COMMAND [options]", "", "Commands:"]
    lines += [f"  {name:<11} {text}" for name, text in COMMANDS.items()]
    lines += [
        "",
        "Run `heard COMMAND --help` for a command's options.",
        "Settings come from environment variables; see docs/settings.md.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from heard.core.private import keep_files_private

    keep_files_private()  # the data folder holds personal data: nothing Heard makes is shared
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    if args[0] == "--version":
        from heard import __version__

        print(f"heard {__version__}")
        return 0
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(f"heard: unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        return 2
    if command == "demo" and "HEARD_DATA_DIR" not in os.environ:
        # The demo never touches the real data: it lives in a folder of its own.
        from heard.conf import default_data_dir

        os.environ["HEARD_DATA_DIR"] = str(Path(default_data_dir()) / "demo")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    from django.core.management import execute_from_command_line

    if command == "manage":
        execute_from_command_line(["heard", *rest])
    else:
        execute_from_command_line(["heard", command, *rest])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
