from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pdca.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from pdca.api import schema  # noqa: F401  (registers the token scheme)
