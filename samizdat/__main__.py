"""`python -m samizdat`: the same command line as build.py and the `samizdat` command."""

import sys

from samizdat.cli import main

sys.exit(main(prog="python -m samizdat"))
