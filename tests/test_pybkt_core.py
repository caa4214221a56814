"""pyBKT is the build from its source distribution, with the compiled C++ core."""

from __future__ import annotations

import importlib.machinery

import pyBKT.fit.E_step
import pyBKT.fit.predict_onestep_states


def test_pybkt_uses_the_compiled_core() -> None:
    for module in (pyBKT.fit.E_step, pyBKT.fit.predict_onestep_states):
        assert module.__file__ is not None
        assert module.__file__.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)), (
            f"{module.__name__} is the pure-Python fallback ({module.__file__}); "
            "reinstall with `make venv` (pip install --no-binary pyBKT --no-build-isolation pyBKT)"
        )
