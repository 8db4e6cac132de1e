"""The dashboard, the organization's settings, its sites and departments, and the role table."""

from typing import Any

from django.apps import apps as django_apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from pdca.core import services
from pdca.core.attention import attention_for, dashboard_extras, panels_for
from pdca.core.forms import DepartmentForm, OrganizationForm, SiteForm
from pdca.core.models import Department, Site
from pdca.core.permissions import action_label, policy_rows, visibility_rows
from pdca.core.roles import Role
from pdca.core.views.base import OrgView, acting_user, org_view
from pdca.core.views.forms import FormView


class DashboardView(OrgView):
    permission = "core.view_dashboard"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        onboarding, charts = dashboard_extras(self.membership)
        context = {
            "onboarding": onboarding,
            "onboarding_done": sum(1 for step in onboarding if step.done),
            "attention": attention_for(self.membership),
            "panels": panels_for(request, self.membership),
            "charts": charts,
            "chart_data": {chart.key: chart.as_json() for chart in charts},
        }
        return render(request, "core/dashboard.html", context)


class OrganizationView(FormView):
    permission = "core.manage_organization"
    form_class = OrganizationForm
    template_name = "core/organization.html"
    error_status = 200
    success_message = gettext_lazy("The organization's settings were saved.")
    success_route = "core:organization"
    success_pk = False

    def form_kwargs(self, obj: None) -> dict[str, Any]:
        return {"instance": self.org}

    def context(self, obj: None) -> dict[str, Any]:
        return {
            "sites": Site.objects.filter(organization=self.org),
            "departments": Department.objects.filter(organization=self.org).select_related(
                "site", "head"
            ),
        }

    def act(self, obj: None, form: Any) -> None:
        services.organization_update(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )


class RelatedFormView(FormView):
    """A site or a department: created and changed on a page of its own, then back to the
    organization's settings."""

    permission = "core.manage_organization"
    template_name = "core/related_form.html"
    form_takes: tuple[str, ...] = ("instance",)
    context_name = "object"
    error_status = 200
    success_message = gettext_lazy("Saved.")
    success_route = "core:organization"
    success_pk = False
    kind: str  # the service's keyword and the RELATED_LABELS key
    service: Any

    def context(self, obj: Any) -> dict[str, Any]:
        return {"kind": RELATED_LABELS[self.kind]}

    def act(self, obj: Any, form: Any) -> None:
        self.service(
            actor=acting_user(self.request),
            organization=self.org,
            **{self.kind: obj},
            **{f: form.cleaned_data[f] for f in form.Meta.fields},
        )


# What the page calls the thing it creates or edits ("New site").
RELATED_LABELS = {"site": gettext_lazy("site"), "department": gettext_lazy("department")}


class SiteFormView(RelatedFormView):
    model = Site
    form_class = SiteForm
    kind = "site"
    service = staticmethod(services.site_save)


class DepartmentFormView(RelatedFormView):
    model = Department
    form_class = DepartmentForm
    form_takes = ("instance", "organization")
    kind = "department"
    service = staticmethod(services.department_save)


def _module_name(app: str) -> str:
    """The module's name in the reader's language (its AppConfig's verbose name)."""
    try:
        return str(django_apps.get_app_config(app).verbose_name)
    except LookupError:
        return app


@org_view("core.view_roles")
def roles(request: HttpRequest, org: str) -> HttpResponse:
    rows = [
        {
            "app": _module_name(app),
            "action": action_label(app, action),
            "code": action,
            "allowed": [r in allowed for r in Role.values],
            "rule": rule,
        }
        for app, action, allowed, rule in policy_rows()
    ]
    seen = [{"app": _module_name(app), "rule": rule} for app, rule in visibility_rows()]
    return render(
        request, "core/roles.html", {"rows": rows, "roles": Role.choices, "visibility": seen}
    )
