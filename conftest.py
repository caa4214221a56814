"""Fixtures shared by ``tests/`` and ``ui-tests/``."""

pytest_plugins = [
    "pytest_jupyter.jupyter_server",
    "tests.fixtures.servers",
    "tests.fixtures.postgres",
    "tests.fixtures.api",
    "tests.fixtures.hub",
]
