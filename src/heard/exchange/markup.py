"""Writing QDA-XML: elements of one namespace, every text and attribute made XML-safe on the
way in (lxml refuses what XML 1.0 cannot hold, rather than write a file nobody can read)."""

from __future__ import annotations

import datetime

from lxml import etree

from heard.exchange.text import xml_safe

PROJECT = "urn:QDA-XML:project:1.0"
CODEBOOK = "urn:QDA-XML:codebook:1.0"


class Markup:
    """Elements in `namespace`, which the document's root declares as its default."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def root(self, tag: str, **attributes: object) -> etree._Element:
        element = etree.Element(f"{{{self.namespace}}}{tag}", nsmap={None: self.namespace})
        _set(element, attributes)
        return element

    def add(
        self, parent: etree._Element, tag: str, text: str | None = None, **attributes: object
    ) -> etree._Element:
        element = etree.SubElement(parent, f"{{{self.namespace}}}{tag}")
        _set(element, attributes)
        if text is not None:
            element.text = xml_safe(text)
        return element


def _set(element: etree._Element, attributes: dict[str, object]) -> None:
    for name, value in attributes.items():
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        element.set(name, xml_safe(str(value)))


def when(moment: datetime.datetime | None) -> str | None:
    """An `xsd:dateTime` in UTC, to the second."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def serialised(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
