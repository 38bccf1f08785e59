"""The participants tests' sample CSV rows."""

from __future__ import annotations

import pytest


@pytest.fixture
def sample_rows() -> list[list[str]]:
    return [
        ["Full name", "E-mail", "Organisation", "Job title", "Segment", "Team size", "Notes"],
        ["Ada Lovelace", "ada@analytical.example", "Analytical Engines", "CTO", "Enterprise", "40", "met at conf"],
        ["Grace Hopper", "grace@navy.example", "US Navy", "Rear Admiral", "Public sector", "", ""],
        ["Zoë Ångström", "zoe@fika.example", "Fika AB", "Head of Ops", "Mid-market", "12", ""],
    ]  # fmt: skip
