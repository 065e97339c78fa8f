#!/usr/bin/env python3
"""samizdat's entry point: `python build.py --help` lists the commands."""

import sys

from samizdat.cli import main

if __name__ == "__main__":
    sys.exit(main())
