"""``python -m jupyter_adaptive`` runs the ``jupyter-adaptive`` command."""

import sys

from .cli import main

sys.exit(main())
