"""The process map: list, diagram, detail page and editing."""

import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

from pdca.core.access import get_object_for
from pdca.core.forms import owners_of
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.typing import OrgRequest
from pdca.core.views.base import OrgView, acting_user, org_view
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.lists import ListView
from pdca.standards import services
from pdca.standards.evidence import clauses_for
from pdca.standards.forms import ProcessForm
from pdca.standards.models import Process
from pdca.standards.registry import process_sections
from pdca.standards.selectors import processes
from pdca.standards.views import int_or_none

CATEGORY_COLOURS = {"management": "#175cd3", "core": "#1f7a3d", "support": "#9a6700"}


class ProcessListView(ListView):
    permission = "standards.view"
    template_name = "standards/processes.html"
    rows_template = "standards/_process_rows.html"
    counted = True

    def filters(self) -> tuple[dict[str, Any], dict[str, Any]]:
        get = self.request.GET
        filters: dict[str, Any] = {
            "query": get.get("q", "").strip(),
            "owner": int_or_none(get.get("owner")),
            "category": get.get("category", ""),
        }
        return filters, filters

    def rows(self, data: dict[str, Any]) -> Any:
        return processes(self.membership, **data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "owners": owners_of(Process.objects.filter(organization=self.org)),
            "categories": Process._meta.get_field("category").choices,
            "can_create": can(self.membership, "standards.manage_processes"),
        }


def process_svg(items: list[Process], edges: list[tuple[int, int]], org_slug: str) -> str:
    """The interactions drawn as an SVG: processes on a circle (management, core, support
    grouped), arrows for hand-overs. Server-side, no JavaScript."""
    if not items:
        return ""
    order = {"management": 0, "core": 1, "support": 2}
    items = sorted(items, key=lambda p: (order.get(p.category, 3), p.code, p.name))
    n = len(items)
    w, h = 900, 640 if n > 6 else 480
    cx, cy = w / 2, h / 2
    rx, ry = w / 2 - 110, h / 2 - 50
    pos = {}
    for i, p in enumerate(items):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        pos[p.pk] = (cx + rx * math.cos(angle), cy + ry * math.sin(angle))
    bw, bh = 170, 44
    label = escape(_("Process interactions"))
    # A group, not an image: its boxes are links (an image's content is not interactive).
    out = [
        f'<svg class="process-map" viewBox="0 0 {w} {h}" role="group" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{label}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ]
    for a, b in edges:
        if a not in pos or b not in pos:
            continue
        (x1, y1), (x2, y2) = pos[a], pos[b]
        dx, dy = x2 - x1, y2 - y1
        dist = math.hypot(dx, dy) or 1
        # Stop the arrow at the target box's edge.
        t = min(
            abs((bw / 2 + 4) / dx) if dx else math.inf, abs((bh / 2 + 4) / dy) if dy else math.inf
        )
        t = min(t, 0.45)
        sx, sy = x1 + dx * t, y1 + dy * t
        ex, ey = x2 - dx * t, y2 - dy * t
        if dist > 0:
            out.append(
                f'<line x1="{sx:.0f}" y1="{sy:.0f}" x2="{ex:.0f}" y2="{ey:.0f}" stroke="#888" '
                'stroke-width="1.5" marker-end="url(#arrow)"/>'
            )
    for p in items:
        x, y = pos[p.pk]
        colour = CATEGORY_COLOURS.get(p.category, "#555")
        label = escape(p.name if len(p.name) <= 21 else p.name[:20] + "…")
        code = escape(p.code)
        url = f"/o/{org_slug}/standards/processes/{p.pk}/"
        out.append(
            f'<a href="{url}"><g><title>{escape(p.name)}</title>'
            f'<rect x="{x - bw / 2:.0f}" y="{y - bh / 2:.0f}" width="{bw}" height="{bh}" rx="8" '
            f'fill="#fff" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{x:.0f}" y="{y - 4:.0f}" text-anchor="middle" font-size="11" '
            f'fill="{colour}">{code}</text>'
            f'<text x="{x:.0f}" y="{y + 12:.0f}" text-anchor="middle" font-size="13" '
            f'fill="#222">{label}</text>'
            "</g></a>"
        )
    out.append("</svg>")
    return "".join(out)


class ProcessMapView(OrgView):
    permission = "standards.view"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        items = list(
            Process.objects.filter(organization=self.org, is_active=True).select_related("owner")
        )
        ids = [p.pk for p in items]
        through = Process.interacts_with.through
        edges = list(
            through.objects.filter(from_process_id__in=ids).values_list(
                "from_process_id", "to_process_id"
            )
        )
        return render(
            request,
            "standards/process_map.html",
            {
                "svg": process_svg(items, edges, self.org.slug),
                "processes": items,
                "can_create": can(self.membership, "standards.manage_processes"),
            },
        )


@org_view("standards.view")
def process_detail(request: OrgRequest, org: str, pk: int) -> HttpResponse:
    process = get_object_for(
        request, Process.objects.select_related("owner"), "standards.view", pk=pk
    )
    organization = process.organization
    membership = request.membership
    context: dict[str, Any] = {
        "process": process,
        "hands_to": process.interacts_with.all(),
        "receives_from": process.interacted_by.all(),
        "sites": process.sites.all(),
        "departments": process.departments.all(),
        "clauses": process.clauses.select_related("edition").order_by(
            "edition__standard__code", "sort_key"
        ),
        "evidence_for": clauses_for(organization, process),
        "sections": process_sections(request, process),
        "can_edit": can(membership, "standards.edit_process", process),
        "history": object_history(process),
    }
    return render(request, "standards/process_detail.html", context)


class ProcessFormView(FormView):
    model = Process
    form_class = ProcessForm
    template_name = "standards/process_form.html"
    form_takes = ("instance", "organization")
    context_name = "process"
    error_status = 200
    success_route = "standards:process"

    def act(self, obj: Process | None, form: Any) -> Process:
        version, data = versioned(form)
        return services.process_save(
            actor=acting_user(self.request),
            organization=self.org,
            process=obj,
            expected_version=version if obj else None,
            **data,
        )

    def message(self, obj: Process, form: Any) -> str:
        return _("%(name)s saved.") % {"name": obj.name}


class ProcessCreateView(ProcessFormView):
    permission = "standards.manage_processes"


class ProcessEditView(ProcessFormView):
    permission = "standards.edit_process"
