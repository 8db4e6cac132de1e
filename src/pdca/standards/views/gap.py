"""The gap analysis of a standard, one clause's page, evidence and the one-click roadmap action."""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pdca.core.access import get_object_for
from pdca.core.forms import owners_of
from pdca.core.jinja import render_rows
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.updating import ConflictError
from pdca.core.views.base import acting_user, org_view
from pdca.core.views.forms import FormView
from pdca.core.views.lists import ListView
from pdca.standards import services
from pdca.standards.evidence import carries_over
from pdca.standards.forms import (
    AssessmentForm,
    BulkAssessmentForm,
    LinkEvidenceForm,
    member_users,
)
from pdca.standards.models import Assessment, AssessmentConfirmation, Clause, EvidenceLink
from pdca.standards.selectors import evidence_for, gap_analysis, sharing_standards
from pdca.standards.selectors.readiness import SECTION_TITLES, readiness
from pdca.standards.views import int_or_none, load_org_standard


class GapView(ListView):
    """The gap analysis of one standard: every clause with its status, shown whole."""

    permission = "standards.view"
    template_name = "standards/gap.html"
    rows_template = "standards/_gap_rows.html"
    jinja_rows = True

    def filters(self) -> tuple[dict[str, Any], dict[str, Any]]:
        get = self.request.GET
        filters: dict[str, Any] = {
            "section": get.get("section", ""),
            "status": get.get("status", ""),
            "owner": int_or_none(get.get("owner")),
            "query": get.get("q", ""),
            "need": get.get("need", "") if get.get("need") in ("missing", "undecided") else "",
        }
        return filters, filters

    def rows(self, data: dict[str, Any]) -> Any:
        self.org_standard = load_org_standard(self.request, self.kwargs["pk"])
        return gap_analysis(self.org_standard, **data)

    def paginate_rows(self, rows: Any) -> Any:
        return rows  # (lines, result, data): every clause of the standard

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        lines, result, loaded = page
        org_standard = self.org_standard
        themes = loaded.themes.get(org_standard.edition_id, [])
        sections = [(code, f"{code} {title}") for code, title in SECTION_TITLES.items()]
        sections += [(t.code, f"{t.code} {t.title}") for t in themes]
        # The clause page's URL with a placeholder id, cut where the id goes.
        clause_url = reverse(
            "standards:clause", kwargs={"org": self.org.slug, "pk": org_standard.pk, "clause": 0}
        )[:-2]
        can_assess = can(self.membership, "standards.assess")
        return {
            "page": None,
            "os": org_standard,
            "lines": lines,
            "clause_url": clause_url,
            "row_url": clause_url.replace("/clauses/", "/rows/"),
            "bulk_form": BulkAssessmentForm(organization=self.org) if can_assess else None,
            "result": result,
            "sections": sections,
            # "Not applicable" filters on the exclusions and the SoA, not an assessment status.
            "statuses": [*Assessment.Status.choices, ("na", _("Not applicable"))],
            "owners": owners_of(Assessment.objects.filter(organization=self.org)),
            "can_assess": can_assess,
            "can_manage": can(self.membership, "standards.manage_scope"),
            "filtered": any(data.values()),
        }


class ClauseView(FormView):
    """One clause of a standard: its assessment (the form), evidence, actions and history."""

    permissions = {"GET": "standards.view", "POST": "standards.assess"}
    form_class = AssessmentForm
    template_name = "standards/clause.html"
    context_name = "clause"
    form_takes = ("organization",)
    error_status = 200

    def load(self, pk: int) -> Clause:
        self.org_standard = load_org_standard(self.request, pk)
        clause = get_object_for(
            self.request,
            Clause.objects.filter(edition_id=self.org_standard.edition_id).select_related(
                "edition__standard", "hs", "theme", "parent"
            ),
            "standards.view",
            pk=self.kwargs["clause"],
        )
        self.assessment = services.assessment_for(self.org, clause)
        return clause

    def initial(self, obj: Clause) -> dict[str, Any]:
        assessment = self.assessment
        return {
            "status": assessment.status,
            "owner": assessment.owner_id,
            "target_date": assessment.target_date,
            "notes": assessment.notes,
            "version": assessment.version,
        }

    def make_form(self, obj: Clause, data: Any = None) -> Any:
        # The form shows the assessment as it is, also when bound to what was typed.
        return AssessmentForm(data, organization=self.org, initial=self.initial(obj))

    def act(self, obj: Clause, form: Any) -> None:
        data = form.cleaned_data
        services.assessment_update(
            actor=acting_user(self.request),
            organization=self.org,
            clause=obj,
            expected_version=data["version"],
            status=data["status"],
            owner=data["owner"],
            target_date=data["target_date"],
            notes=data["notes"],
        )

    def message(self, obj: Clause, form: Any) -> str:
        return _("%(number)s saved.") % {"number": obj.number}

    def success_url(self, obj: Clause) -> str:
        kwargs = {"org": self.org.slug, "pk": self.org_standard.pk, "clause": obj.pk}
        return reverse("standards:clause", kwargs=kwargs)

    def context(self, obj: Clause) -> dict[str, Any]:
        membership, organization = self.membership, self.org
        result = readiness(organization, [self.org_standard], gates=False)[0]
        confirmations = (
            list(
                AssessmentConfirmation.objects.filter(assessment=self.assessment).select_related(
                    "org_standard__edition__standard", "confirmed_by"
                )
            )
            if self.assessment.pk and obj.hs_id
            else []
        )
        here = {c.org_standard_id for c in confirmations}
        evidence = list(evidence_for(organization, obj)[:100])
        linked_here = {(e.content_type_id, e.object_id) for e in evidence if e.clause_id == obj.pk}
        elsewhere = {e.pk for e in evidence if e.clause.edition_id != obj.edition_id}
        shareable = {
            e.pk
            for e in evidence
            if e.pk in elsewhere
            and carries_over(e.clause)
            and (e.content_type_id, e.object_id) not in linked_here
        }
        link_form = LinkEvidenceForm(organization=organization, clause=obj)
        return {
            "os": self.org_standard,
            "assessment": self.assessment,
            "can_assess": can(membership, "standards.assess"),
            "can_link": can(membership, "standards.link_evidence"),
            "can_roadmap": can(membership, "standards.manage_roadmap"),
            "link_form": link_form,
            "evidence": evidence,
            "elsewhere": elsewhere,
            "shareable": shareable,
            "confirmations": confirmations,
            "confirmed_names": ", ".join(
                str(c.org_standard.edition.standard) for c in confirmations
            ),
            "unconfirmed": bool(confirmations) and self.org_standard.pk not in here,
            "required": [r for r in result.required if r.clause_id == obj.pk],
            "excluded": next((why for info, why in result.excluded if info.id == obj.pk), None),
            "sharing": sharing_standards(organization, obj),
            "result": result,
            "children": obj.children.order_by("sort_key"),
            "actions": obj.roadmap_actions.filter(organization=organization).select_related(
                "owner"
            ),
            "history": object_history(self.assessment) if self.assessment.pk else [],
        }


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
    form = LinkEvidenceForm(request.POST, organization=org_standard.organization, clause=obj)
    if form.is_valid():
        try:
            services.evidence_link(
                actor=acting_user(request),
                organization=org_standard.organization,
                clause=obj,
                obj=form.cleaned_data["target"],
                required=form.cleaned_data["required"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(object)s linked as evidence.") % {"object": form.cleaned_data["target"]},
            )
    else:
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
    return redirect("standards:clause", org=org, pk=pk, clause=clause)


@org_view("standards.link_evidence")
def evidence_share(request: HttpRequest, org: str, pk: int, link: int) -> HttpResponse:
    """ "Also valid for this standard": the same object linked to this standard's clause."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    org_standard = load_org_standard(request, pk, "standards.link_evidence")
    evidence = get_object_for(
        request,
        EvidenceLink.objects.select_related("clause__hs"),
        "standards.link_evidence",
        pk=link,
    )
    try:
        services.evidence_share(
            actor=acting_user(request), link=evidence, org_standard=org_standard
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Linked for %(standard)s too.") % {"standard": org_standard})
    target = int_or_none(request.POST.get("clause")) or evidence.clause_id
    return redirect("standards:clause", org=org, pk=org_standard.pk, clause=target)


@org_view("standards.assess")
def assessment_confirm(request: HttpRequest, org: str, pk: int, clause: int) -> HttpResponse:
    """ "Also valid for this standard?": the shared status counts here from now on."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    org_standard = load_org_standard(request, pk, "standards.assess")
    obj = get_object_for(
        request,
        Clause.objects.filter(edition_id=org_standard.edition_id).select_related("edition"),
        "standards.assess",
        pk=clause,
    )
    try:
        services.assessment_confirm(
            actor=acting_user(request),
            org_standard=org_standard,
            clause=obj,
            expected_version=int_or_none(request.POST.get("version")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(number)s confirmed for %(standard)s.")
            % {"number": obj.number, "standard": org_standard},
        )
    return redirect("standards:clause", org=org, pk=pk, clause=clause)


def _row_context(request: HttpRequest, org_standard: Any, clause_id: int) -> dict[str, Any]:
    lines, _result, _data = gap_analysis(org_standard)
    line = next(line for line in lines if line.clause.id == clause_id)
    clause_url = reverse(
        "standards:clause",
        kwargs={"org": org_standard.organization.slug, "pk": org_standard.pk, "clause": 0},
    )[:-2]
    return {
        "line": line,
        "os": org_standard,
        "clause_url": clause_url,
        "row_url": clause_url.replace("/clauses/", "/rows/"),
        "can_assess": True,
    }


@org_view({"GET": "standards.assess", "POST": "standards.assess"})
def gap_row(request: HttpRequest, org: str, pk: int, clause: int) -> HttpResponse:
    """One row of the gap analysis edited in place: GET gives the editable row, POST saves it
    (through the same service, version check and trail as the clause page) and gives the row."""
    org_standard = load_org_standard(request, pk, "standards.assess")
    obj = get_object_for(
        request,
        Clause.objects.filter(edition_id=org_standard.edition_id).select_related(
            "edition__standard"
        ),
        "standards.assess",
        pk=clause,
    )
    organization = org_standard.organization
    error = ""
    editing = request.method == "GET" and not request.GET.get("cancel")
    if request.method == "POST":
        form = AssessmentForm(request.POST, organization=organization)
        if form.is_valid():
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
                )
            except ValidationError as problem:
                error = " ".join(problem.messages)
                # A refused value stays open to correct; a stale row shows what is saved now.
                editing = not isinstance(problem, ConflictError)
        else:
            error = " ".join(str(m) for ms in form.errors.values() for m in ms)
            editing = True
        if not request.htmx:  # type: ignore[attr-defined]
            if error:
                messages.error(request, f"{obj.number}: {error}")
            else:
                messages.success(request, _("%(number)s saved.") % {"number": obj.number})
            return redirect("standards:gap", org=org, pk=pk)
    context = _row_context(request, org_standard, obj.pk)
    context.update(
        editing=editing,
        error=error,
        statuses=Assessment.Status.choices,
        members=list(member_users(organization)) if editing else [],
    )
    return HttpResponse(render_rows(request, "standards/_gap_row.html", context))


@org_view("standards.assess")
def gap_bulk(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """The same status, owner or target date for the selected rows, all or nothing."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    org_standard = load_org_standard(request, pk, "standards.assess")
    versions: dict[int, int | None] = {}
    for value in request.POST.getlist("row"):
        clause_id, _sep, version = value.partition(":")
        if clause_id.isdigit():
            versions[int(clause_id)] = int_or_none(version)
    form = BulkAssessmentForm(request.POST, organization=org_standard.organization)
    back = reverse("standards:gap", kwargs={"org": org, "pk": pk})
    query = request.POST.get("query", "")
    if query.startswith("?"):
        back += query
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect(back)
    try:
        done = services.assessments_bulk_update(
            actor=acting_user(request),
            org_standard=org_standard,
            versions=versions,
            **form.changes(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(n)s clauses saved.") % {"n": len(done)})
    return redirect(back)


@org_view("standards.link_evidence")
def evidence_unlink(request: HttpRequest, org: str, pk: int, link: int) -> HttpResponse:
    """GET asks for confirmation (removing evidence can lower readiness); POST removes it."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    org_standard = load_org_standard(request, pk, "standards.link_evidence")
    evidence = get_object_for(request, EvidenceLink, "standards.link_evidence", pk=link)
    if request.method == "GET":
        clause = request.GET.get("clause") or evidence.clause_id
        return render(
            request,
            "standards/evidence_unlink.html",
            {"os": org_standard, "evidence": evidence, "clause_pk": clause, "form": forms.Form()},
        )
    try:
        services.evidence_unlink(actor=acting_user(request), link=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Evidence unlinked."))
    # The clause page it was opened from (the confirmation keeps it in its address).
    target = request.POST.get("clause") or request.GET.get("clause") or evidence.clause_id
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
