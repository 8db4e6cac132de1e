from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "pdca.audits"
    label = "audits"
