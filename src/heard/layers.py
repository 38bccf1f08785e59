"""Heard's layers, in the method's order: a module may import from its own layer and the
layers before it, never from a later one (`tests/test_layers.py` holds the code to this).

A later stage shows itself on an earlier stage's page through a template tag of its own
(`core.partials.render_partial`), never by the earlier stage importing it.
"""

from __future__ import annotations

# (layer, the parts of the `heard` package in it): sub-packages, or top-level modules.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("infrastructure", ("__init__", "conf", "layers", "settings", "settings_test", "core")),
    ("accounts", ("accounts",)),
    ("plan", ("studies", "participants", "guides")),
    ("the call", ("interviews",)),
    ("after the call", ("followups", "synthesis")),
    # The coach reads the call and the summaries' reading of its notes; nothing reads it.
    ("coaching", ("coach",)),
    (
        "the shell",
        (
            "site",
            "search",
            "privacy",
            "exchange",
            "api",
            "webhooks",
            "demo",
            "urls",
            "asgi",
            "wsgi",
            "cli",
        ),
    ),
)


def layer_of(part: str) -> int:
    """The position of a part of the package (`"studies"`, `"urls"`) in `LAYERS`."""
    for position, (_name, parts) in enumerate(LAYERS):
        if part in parts:
            return position
    raise KeyError(f"heard.{part} belongs to no layer: add it to heard.layers.LAYERS")
