from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.views.base import acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.lists import ListView
from pdca.webhooks import selectors, services
from pdca.webhooks.delivery import private_allowed
from pdca.webhooks.events import event_choices
from pdca.webhooks.forms import EndpointForm, SendTestForm, VersionForm
from pdca.webhooks.models import Delivery, Endpoint


class EndpointListView(ListView):
    permission = "webhooks.manage"
    template_name = "webhooks/list.html"
    rows_template = "webhooks/list.html"

    def rows(self, data: dict[str, Any]) -> QuerySet[Endpoint]:
        return selectors.endpoints(self.org)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"labels": dict(event_choices())}


class EndpointEditView(FormView):
    permission = "webhooks.manage"
    model = Endpoint
    form_class = EndpointForm
    template_name = "webhooks/form.html"
    context_name = "endpoint"
    initial_fields = ("name", "url", "events", "is_active", "version")
    success_route = "webhooks:detail"
    success_message = gettext_lazy("The webhook is saved.")

    def context(self, obj: Endpoint | None) -> dict[str, Any]:
        return {"title": obj or _("New webhook"), "private_allowed": private_allowed()}

    def act(self, obj: Endpoint | None, form: Any) -> Endpoint:
        version, data = versioned(form)
        actor = acting_user(self.request)
        if obj is None:
            return services.endpoint_create(actor=actor, organization=self.org, **data)
        return services.endpoint_update(actor=actor, endpoint=obj, version=version, **data)


class EndpointDetailView(ListView):
    """The endpoint, its secret and its delivery log (newest first)."""

    permission = "webhooks.manage"
    template_name = "webhooks/detail.html"
    rows_template = "webhooks/_delivery_rows.html"

    def rows(self, data: dict[str, Any]) -> QuerySet[Delivery]:
        self.endpoint = get_object_for(
            self.request, Endpoint, self.permission, pk=self.kwargs["pk"]
        )
        return selectors.deliveries(self.endpoint)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "labels": {**dict(event_choices()), "webhooks.test": _("Test delivery")},
            "version_form": VersionForm(initial={"version": self.endpoint.version}),
        }


class EndpointTestView(ConfirmView):
    permission = "webhooks.manage"
    model = Endpoint
    form_class = SendTestForm
    template_name = "webhooks/test.html"
    context_name = "endpoint"
    success_route = "webhooks:detail"
    success_message = gettext_lazy("A test delivery is on its way: see the log below.")

    def act(self, obj: Endpoint, form: Any) -> None:
        services.endpoint_test(actor=acting_user(self.request), endpoint=obj)


class EndpointSecretView(ConfirmView):
    permission = "webhooks.manage"
    model = Endpoint
    form_class = VersionForm
    template_name = "webhooks/secret.html"
    context_name = "endpoint"
    success_route = "webhooks:detail"
    success_message = gettext_lazy("A new signing secret is in force; give it to the receiver.")

    def initial(self, obj: Endpoint) -> dict[str, Any]:
        return {"version": obj.version}

    def act(self, obj: Endpoint, form: Any) -> Endpoint:
        return services.endpoint_renew_secret(
            actor=acting_user(self.request), endpoint=obj, version=form.cleaned_data["version"]
        )
