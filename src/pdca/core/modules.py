"""Domain apps declare themselves once, in their AppConfig, and pdca mounts them from there.

A domain app's config subclasses `DomainAppConfig` and sets `url_prefix`: its pages
(`<app>/urls.py`) are served under `/o/<org>/<prefix>/` and its API (`<app>/api.py`, a module
with `urlpatterns`) under `/api/v1/o/<org>/<prefix>/`. No list of apps is kept by hand.
"""

from importlib.util import find_spec

from django.apps import AppConfig, apps


class DomainAppConfig(AppConfig):
    """Subclass it as `modules.DomainAppConfig`: a class imported by name into an apps.py
    would be one more candidate for Django's choice of that app's config."""

    url_prefix: str = ""


def domain_apps() -> list[DomainAppConfig]:
    return [c for c in apps.get_app_configs() if isinstance(c, DomainAppConfig) and c.url_prefix]


def mounted(submodule: str) -> list[tuple[str, str]]:
    """(url prefix, module path) of every domain app that has `submodule` (urls or api)."""
    return [
        (config.url_prefix, f"{config.name}.{submodule}")
        for config in domain_apps()
        if find_spec(f"{config.name}.{submodule}") is not None
    ]
