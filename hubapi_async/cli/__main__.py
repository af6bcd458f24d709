"""``python -m hubapi_async.cli``: the ``hubapi`` command."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
