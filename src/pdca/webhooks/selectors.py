from django.db.models import QuerySet

from pdca.core.models import Organization
from pdca.webhooks.models import Delivery, Endpoint


def endpoints(organization: Organization) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(organization=organization).order_by("name", "pk")


def deliveries(endpoint: Endpoint) -> QuerySet[Delivery]:
    return Delivery.objects.filter(endpoint=endpoint).order_by("-pk")
