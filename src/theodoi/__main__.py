import sys

from theodoi.cli import main

sys.exit(main())
