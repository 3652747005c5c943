"""ASGI entry point. Puts `site/` (this package's parent) on the path once."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concertation.settings.production")

from django.core.asgi import get_asgi_application

application = get_asgi_application()
