"""The kinds of database a backup knows, by Django's name for them."""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

from heard.core.backup.vendors.base import Dump, Vendor
from heard.core.backup.vendors.postgresql import PostgreSQL
from heard.core.backup.vendors.sqlite import SQLite

VENDORS: dict[str, type[Vendor]] = {vendor.name: vendor for vendor in (SQLite, PostgreSQL)}

__all__ = ["VENDORS", "Dump", "Vendor", "vendor_for"]


def vendor_for(connection: BaseDatabaseWrapper) -> Vendor:
    return VENDORS[connection.vendor](connection)
