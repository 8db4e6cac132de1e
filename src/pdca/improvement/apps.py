from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "pdca.improvement"
    label = "improvement"
