"""The ``jupyter-adaptive`` command (also reachable as ``jupyter adaptive``).

Each sub-command lives in its own module of this package and exposes ``register(subparsers)``,
which adds its parser and sets ``func``: a callable taking the parsed arguments and returning an
exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import AdaptiveError

__all__ = ["build_parser", "main"]

#: Modules of this package that contribute sub-commands, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "db",
    "export",
    "course",
    "mastery",
    "grading",
    "simulate",
    "items",
    "simulate_check",
    "risk",
    "fairness",
    "audit",
    "seed",
    "dashboard",
    "service",
    "lms",
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the parser with every sub-command registered."""
    parser = _Parser(
        prog="jupyter-adaptive",
        description="Adaptive, explainable personalized learning inside Jupyter.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=_Parser, required=True
    )
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except AdaptiveError as exc:
        print(f"jupyter-adaptive: error: {exc.message}", file=sys.stderr)
        for detail in exc.details:
            print(f"  {detail}", file=sys.stderr)
        return 1
    return code
