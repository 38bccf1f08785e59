"""What the tests share: personas, factories, addresses, and the real parts they run against.

Helpers live in this package and are imported from it (`from tests.support import factories`);
fixtures live in `tests.support.fixtures` and are registered as plugins by `tests/conftest.py`.
"""
