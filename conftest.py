"""Fixtures shared by ``tests/`` and ``ui-tests/``."""

pytest_plugins = ["tests.fixtures.servers", "tests.fixtures.postgres"]
