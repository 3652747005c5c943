#!/usr/bin/env python
"""Django's command-line utility for Concertation.

`site/` is a second source root: it holds the `concertation` project package but is not a
package itself (a package named `site` would shadow the standard library's `site` module).
"""

import os
import sys
from pathlib import Path


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concertation.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
