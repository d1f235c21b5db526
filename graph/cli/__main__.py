"""``python -m graph.cli`` runs the plankg command."""

import sys

from . import main

sys.exit(main())
