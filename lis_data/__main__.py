import sys

from lis_data.cli import main

sys.exit(main())
