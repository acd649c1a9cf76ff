"""`python -m twibench`: the same entry point as the `twibench` script (see `twibench.cli`)."""

import sys

from twibench.cli import main

if __name__ == "__main__":
    sys.exit(main())
