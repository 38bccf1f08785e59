"""A later stage shows itself on an earlier stage's page through a template tag of its own.

`render_partial` renders such a tag's template as `{% include %}` would: with the page's whole
context (the workspace, the role, the CSRF token, the nonce), plus the values the tag adds.
"""

from __future__ import annotations

from typing import Any

from django.template import Context
from django.utils.safestring import SafeString


def render_partial(context: Context, template_name: str, **values: Any) -> SafeString:
    template = context.template.engine.get_template(template_name)  # type: ignore[union-attr]
    with context.push(**values):
        rendered: SafeString = template.render(context)
    return rendered
