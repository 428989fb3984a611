"""`python -m trainer`: the same entry point as the `trainer` command."""

import sys

from trainer.cli import main

sys.exit(main())
