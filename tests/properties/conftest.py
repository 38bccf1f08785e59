"""Property tests: hostile and random input, a bounded number of examples each.

The examples are derived from each test's name (`derandomize`), so that a run in CI is the run
on a laptop; hypothesis keeps no example database. An example that once failed stays as an
explicit `@example`. `HYPOTHESIS_PROFILE=thorough` tries many more.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# The tests share a database and a signed-in client across examples, rolled back each time.
_shared = {
    "derandomize": True,
    "deadline": None,
    "database": None,
    "print_blob": False,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("heard", max_examples=6, **_shared)
settings.register_profile("thorough", max_examples=200, **_shared)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "heard"))
