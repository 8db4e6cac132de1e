"""What a server does once before it forks its workers, so that no person pays for it later."""

import logging
from pathlib import Path

from django.db import connections
from django.template import TemplateDoesNotExist, engines
from django.urls import get_resolver

logger = logging.getLogger("pdca.warmup")
OWN = Path(__file__).resolve().parents[1]


def warm() -> int:
    """Import every view and compile every template; returns the number of templates compiled."""
    get_resolver().url_patterns  # noqa: B018  (imports every app's views and URLconfs)
    compiled = 0
    for engine in engines.all():
        # Both engines keep what they compiled (Django's cached loader, Jinja's cache).
        # pdca's own templates: other packages ship templates for tag libraries not installed.
        for folder in (Path(d) for d in engine.template_dirs if Path(d).is_relative_to(OWN)):
            for path in folder.rglob("*"):
                if path.suffix in {".html", ".txt"}:
                    try:
                        engine.get_template(path.relative_to(folder).as_posix())
                    except TemplateDoesNotExist:  # shadowed by an earlier folder's template
                        continue
                    compiled += 1
    connections.close_all()
    logger.info("Warmed up: %s templates compiled", compiled)
    return compiled
