"""`python -m kiosk.devtools COMMAND`: the developer commands (kiosk.devtools.cli)."""

import sys

from kiosk.devtools.cli import main

sys.exit(main())
