import sys

from readb.cli import main

sys.exit(main())
