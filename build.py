"""Build the service-brand column: python build.py --help"""

import sys
from pathlib import Path

from brandcolumn.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], default_site=Path(__file__).resolve().parent))
