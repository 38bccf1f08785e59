"""The README tells the truth: two Quick-start commands, every CLI command documented."""

from __future__ import annotations

import re
from pathlib import Path

from heard.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def quick_start_block() -> list[str]:
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```\w*\n(.*?)```", section, flags=re.DOTALL)
    assert block, "Quick start has a fenced code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    demo, test = quick_start_block()
    assert demo == "./dev.sh demo"
    assert test == "./dev.sh test"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "\n./dev.sh test\n" in ci
    assert "DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard ./dev.sh test" in ci


def test_every_cli_command_is_documented():
    for name in COMMANDS:
        assert f"`heard {name}" in README, name


def test_architecture_doc_names_every_app():
    text = (ROOT / "docs" / "architecture.md").read_text()
    for app in ("accounts", "studies", "participants", "guides", "interviews", "core"):
        assert f"`{app}/`" in text, app
