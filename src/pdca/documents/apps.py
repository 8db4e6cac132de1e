from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "pdca.documents"
    label = "documents"
