"""``python -m escalate.cli``: the same command line as the ``escalate`` script."""

import sys

from escalate.cli import main

sys.exit(main())
