"""The gap analysis of a standard, one clause's page, evidence and the one-click roadmap action."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pdca.core.access import get_object_for
from pdca.core.jinja import render_rows
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.typing import OrgRequest
from pdca.core.views.base import acting_user, org_view
from pdca.core.views.organization import apply_errors
from pdca.standards import services
from pdca.standards.forms import AssessmentForm, LinkProcessForm, owners_of
from pdca.standards.models import Assessment, Clause, EvidenceLink
from pdca.standards.selectors import evidence_for, gap_analysis, sharing_standards
from pdca.standards.selectors.readiness import SECTION_TITLES, readiness
from pdca.standards.views import int_or_none, load_org_standard


@org_view("standards.view")
def gap(request: OrgRequest, org: str, pk: int) -> HttpResponse:
    org_standard = load_org_standard(request, pk)
    filters: dict[str, Any] = {
        "section": request.GET.get("section", ""),
        "status": request.GET.get("status", ""),
        "owner": int_or_none(request.GET.get("owner")),
        "query": request.GET.get("q", ""),
    }
    lines, result, data = gap_analysis(org_standard, **filters)
    themes = data.themes.get(org_standard.edition_id, [])
    sections = [(code, f"{code} {title}") for code, title in SECTION_TITLES.items()]
    sections += [(t.code, f"{t.code} {t.title}") for t in themes]
    # The clause page's URL with a placeholder id, cut where the id goes.
    clause_url = reverse("standards:clause", kwargs={"org": org, "pk": pk, "clause": 0})[:-2]
    context = {
        "os": org_standard,
        "lines": lines,
        "clause_url": clause_url,
        "result": result,
        "filters": filters,
        "sections": sections,
        "statuses": [*Assessment.Status.choices],
        "owners": owners_of(Assessment.objects.filter(organization=org_standard.organization)),
        "can_assess": can(request.membership, "standards.assess"),
        "can_manage": can(request.membership, "standards.manage_scope"),
        "filtered": any(filters.values()),
    }
    rows = render_rows(request, "standards/_gap_rows.html", context)
    if request.htmx:
        return HttpResponse(rows)
    return render(request, "standards/gap.html", {**context, "rows": rows})


@org_view({"GET": "standards.view", "POST": "standards.assess"})
def clause_detail(request: OrgRequest, org: str, pk: int, clause: int) -> HttpResponse:
    org_standard = load_org_standard(request, pk)
    obj = get_object_for(
        request,
        Clause.objects.filter(edition_id=org_standard.edition_id).select_related(
            "edition__standard", "hs", "theme", "parent"
        ),
        "standards.view",
        pk=clause,
    )
    membership = request.membership
    organization = org_standard.organization
    assessment = services.assessment_for(organization, obj)
    may_assess = can(membership, "standards.assess")
    form = AssessmentForm(
        request.POST or None,
        organization=organization,
        initial={
            "status": assessment.status,
            "owner": assessment.owner_id,
            "target_date": assessment.target_date,
            "notes": assessment.notes,
            "version": assessment.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_update(
                actor=acting_user(request),
                organization=organization,
                clause=obj,
                expected_version=data["version"],
                status=data["status"],
                owner=data["owner"],
                target_date=data["target_date"],
                notes=data["notes"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(number)s saved.") % {"number": obj.number})
            return redirect("standards:clause", org=org, pk=pk, clause=clause)
    result = readiness(organization, [org_standard])[0]
    required = [r for r in result.required if r.clause_id == obj.pk]
    excluded = next((why for info, why in result.excluded if info.id == obj.pk), None)
    context = {
        "os": org_standard,
        "clause": obj,
        "assessment": assessment,
        "form": form,
        "can_assess": may_assess,
        "can_link": can(membership, "standards.link_evidence"),
        "can_roadmap": can(membership, "standards.manage_roadmap"),
        "link_form": LinkProcessForm(organization=organization),
        "evidence": list(evidence_for(organization, obj)[:100]),
        "required": required,
        "excluded": excluded,
        "sharing": sharing_standards(organization, obj),
        "result": result,
        "children": obj.children.order_by("sort_key"),
        "actions": obj.roadmap_actions.filter(organization=organization).select_related("owner"),
        "history": object_history(assessment) if assessment.pk else [],
    }
    return render(request, "standards/clause.html", context)


@org_view("standards.link_evidence")
def evidence_add(request: HttpRequest, org: str, pk: int, clause: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    org_standard = load_org_standard(request, pk, "standards.link_evidence")
    obj = get_object_for(
        request,
        Clause.objects.filter(edition_id=org_standard.edition_id),
        "standards.link_evidence",
        pk=clause,
    )
    form = LinkProcessForm(request.POST, organization=org_standard.organization)
    if form.is_valid():
        try:
            services.evidence_link(
                actor=acting_user(request),
                organization=org_standard.organization,
                clause=obj,
                obj=form.cleaned_data["process"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Process linked as evidence."))
    else:
        messages.error(request, _("Choose a process to link."))
    return redirect("standards:clause", org=org, pk=pk, clause=clause)


@org_view("standards.link_evidence")
def evidence_unlink(request: HttpRequest, org: str, pk: int, link: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    org_standard = load_org_standard(request, pk, "standards.link_evidence")
    evidence = get_object_for(request, EvidenceLink, "standards.link_evidence", pk=link)
    try:
        services.evidence_unlink(actor=acting_user(request), link=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Evidence unlinked."))
    target = request.POST.get("clause") or evidence.clause_id
    return redirect("standards:clause", org=org, pk=org_standard.pk, clause=target)


@org_view("standards.manage_roadmap")
def action_from_gap(request: HttpRequest, org: str, pk: int, clause: int) -> HttpResponse:
    """One click from a gap: an action owned by the clause's owner, due by its target date."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    org_standard = load_org_standard(request, pk, "standards.manage_roadmap")
    obj = get_object_for(
        request,
        Clause.objects.filter(edition_id=org_standard.edition_id),
        "standards.manage_roadmap",
        pk=clause,
    )
    organization = org_standard.organization
    assessment = services.assessment_for(organization, obj)
    today = timezone.localdate()
    due = (
        assessment.target_date
        if assessment.target_date and assessment.target_date >= today
        else today + datetime.timedelta(days=30)
    )
    try:
        action = services.roadmap_action_create(
            actor=acting_user(request),
            organization=organization,
            clause=obj,
            title=_("Close the gap on %(number)s %(title)s")
            % {"number": obj.number, "title": obj.title},
            owner=assessment.owner or acting_user(request),
            due_on=due,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("standards:clause", org=org, pk=pk, clause=clause)
    messages.success(
        request,
        _("Action added to the roadmap, due %(date)s.")
        % {"date": date_format(action.due_on, "SHORT_DATE_FORMAT")},
    )
    if request.POST.get("back") == "gap":
        return redirect("standards:gap", org=org, pk=pk)
    return redirect("standards:clause", org=org, pk=pk, clause=clause)
