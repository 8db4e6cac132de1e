"""Deployment checks: what an operator must know before running several app servers."""

import logging
from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

logger = logging.getLogger("pdca.deploy")

PER_PROCESS = (
    "PDCA_REDIS_URL is not set: the cache is in-process, so what pdca counts in it (the API rate "
    "limit, cached figures, any throttle kept in the cache) is per worker process. With several "
    "gunicorn workers or app servers, set PDCA_REDIS_URL to one Redis that all of them use."
)


@register("pdca")
def shared_cache_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if not getattr(settings, "PDCA_PER_PROCESS_LIMITS", False):
        return []
    return [Warning(PER_PROCESS, id="pdca.W001")]


def warn_at_startup() -> None:
    """Say it in the server log too: gunicorn does not run the system checks."""
    if getattr(settings, "PDCA_PER_PROCESS_LIMITS", False):
        logger.warning(PER_PROCESS)
