"""The dashboard, the organization's settings, its sites and departments, and the role table."""

from typing import Any

from django.apps import apps as django_apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core import services
from pdca.core.access import get_object_for
from pdca.core.attention import attention_for, panels_for
from pdca.core.forms import DepartmentForm, OrganizationForm, SiteForm
from pdca.core.models import Department, Site
from pdca.core.permissions import action_label, policy_rows
from pdca.core.roles import Role
from pdca.core.typing import OrgRequest
from pdca.core.views.base import OrgView, acting_user, org_view


def apply_errors(form: Any, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class DashboardView(OrgView):
    permission = "core.view_dashboard"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        context = {
            "attention": attention_for(self.membership),
            "panels": panels_for(request, self.membership),
        }
        return render(request, "core/dashboard.html", context)


class OrganizationView(OrgView):
    permission = "core.manage_organization"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return self.render(OrganizationForm(instance=self.org))

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        form = OrganizationForm(request.POST, instance=self.org)
        if form.is_valid():
            services.organization_update(
                actor=acting_user(request), organization=self.org, **form.cleaned_data
            )
            messages.success(request, _("The organization's settings were saved."))
            return redirect("core:organization", org=org)
        return self.render(form)

    def render(self, form: Any) -> HttpResponse:
        context = {
            "form": form,
            "sites": Site.objects.filter(organization=self.org),
            "departments": Department.objects.filter(organization=self.org).select_related(
                "site", "head"
            ),
        }
        return render(self.request, "core/organization.html", context)


# What the page calls the thing it creates or edits ("New site").
RELATED_LABELS = {"site": gettext_lazy("site"), "department": gettext_lazy("department")}


def _save_related(
    request: OrgRequest,
    org: str,
    form_class: Any,
    instance: Any,
    service: Any,
    kind: str,
) -> HttpResponse:
    organization = request.membership.organization
    kwargs = {"organization": organization} if form_class is DepartmentForm else {}
    form = form_class(request.POST or None, instance=instance, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            service(
                actor=acting_user(request),
                organization=organization,
                **{kind: instance},
                **{f: form.cleaned_data[f] for f in form.Meta.fields},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("core:organization", org=org)
    return render(
        request,
        "core/related_form.html",
        {"form": form, "kind": RELATED_LABELS[kind], "object": instance},
    )


@org_view("core.manage_organization")
def site_create(request: OrgRequest, org: str) -> HttpResponse:
    return _save_related(request, org, SiteForm, None, services.site_save, "site")


@org_view("core.manage_organization")
def site_edit(request: OrgRequest, org: str, pk: int) -> HttpResponse:
    site = get_object_for(request, Site, "core.manage_organization", pk=pk)
    return _save_related(request, org, SiteForm, site, services.site_save, "site")


@org_view("core.manage_organization")
def department_create(request: OrgRequest, org: str) -> HttpResponse:
    return _save_related(request, org, DepartmentForm, None, services.department_save, "department")


@org_view("core.manage_organization")
def department_edit(request: OrgRequest, org: str, pk: int) -> HttpResponse:
    department = get_object_for(request, Department, "core.manage_organization", pk=pk)
    return _save_related(
        request, org, DepartmentForm, department, services.department_save, "department"
    )


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
            "action": action_label(action),
            "code": action,
            "allowed": [r in allowed for r in Role.values],
        }
        for app, action, allowed in policy_rows()
    ]
    return render(request, "core/roles.html", {"rows": rows, "roles": Role.choices})
