import sys

from sla_core.cli import main

sys.exit(main())
