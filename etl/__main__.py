"""``python -m etl``: the ETL command line (see etl/cli.py)."""

import sys

from etl.cli import main

sys.exit(main())
