"""Readiness for certification: the page, the printable report, the spreadsheet, the panel."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from pdca.core.caching import org_cached
from pdca.core.permissions import can
from pdca.core.typing import OrgRequest
from pdca.core.views.base import org_view
from pdca.standards.exports import readiness_xlsx
from pdca.standards.selectors.readiness import readiness

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@org_view("standards.view")
def readiness_page(request: OrgRequest, org: str) -> HttpResponse:
    membership = request.membership
    results = readiness(membership.organization)
    return render(
        request,
        "standards/readiness.html",
        {"results": results, "can_export": can(membership, "standards.export"), "print": False},
    )


@org_view("standards.export")
def readiness_print(request: OrgRequest, org: str) -> HttpResponse:
    membership = request.membership
    return render(
        request,
        "standards/readiness_print.html",
        {"results": readiness(membership.organization), "today": timezone.localdate()},
    )


@org_view("standards.export")
def readiness_export(request: OrgRequest, org: str) -> HttpResponse:
    organization = request.membership.organization
    content = readiness_xlsx(organization.name, readiness(organization))
    response = HttpResponse(content, content_type=XLSX)
    name = slugify(f"{organization.slug} readiness {timezone.localdate():%Y-%m-%d}")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def readiness_panel(request: Any, membership: Any) -> str:
    """The dashboard's readiness summary (nothing when no standard is chosen yet)."""
    if not can(membership, "standards.view"):
        return ""
    organization = membership.organization
    # Once per change of the organization's data, not once per dashboard view.
    results = org_cached(organization, "standards.readiness.2", lambda: readiness(organization))
    return render_to_string(
        "standards/_readiness_panel.html",
        {
            "results": results,
            "org": membership.organization,
            "can_manage": can(membership, "standards.manage_scope"),
        },
        request=request,
    )
