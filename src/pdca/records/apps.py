from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "pdca.records"
    label = "records"
