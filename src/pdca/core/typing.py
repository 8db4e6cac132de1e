"""The request a page inside an organization gets: `OrganizationMiddleware` sets
`organization`, the access check `membership`, django-htmx `htmx`. Annotate views with it
instead of silencing the type checker at every `request.membership`."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from pdca.core.models import Membership, Organization


class OrgRequest(HttpRequest):
    membership: Membership
    organization: Organization
    htmx: HtmxDetails
