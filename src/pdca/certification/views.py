"""The certification pages: the overview (each certificate's cycle as a timeline, the first
certification under way, the stage 1 checklist), bodies, certificates, external audits with
their findings, and the forms that change them through the services."""

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.certification import selectors, services
from pdca.certification.access import current_access
from pdca.certification.forms import (
    AnswerForm,
    AuditFilter,
    AuditForm,
    BodyForm,
    CancelForm,
    CertificateEditForm,
    CertificateForm,
    EventForm,
    FindingForm,
    HeldForm,
    StatusForm,
)
from pdca.certification.models import (
    Certificate,
    CertificationBody,
    DocumentationPack,
    ExternalAudit,
    ExternalFinding,
)
from pdca.certification.pack import PACK_KIND
from pdca.core.access import get_object_for, visible_rows
from pdca.core.downloads import stored_file_response
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.jobs import start_job_response
from pdca.core.views.lists import ListView
from pdca.improvement.selectors import raised_from_any
from pdca.standards.models import OrgStandard
from pdca.standards.selectors import stage1_checklist


def standards_prefetch() -> Prefetch:
    return Prefetch("standards", queryset=OrgStandard.objects.select_related("edition__standard"))


def uncertified_checklists(organization: Any) -> list[dict[str, Any]]:
    """The standards not yet certified, each with its stage 1 checklist (standards app)."""
    chosen = OrgStandard.objects.filter(organization=organization).select_related(
        "edition__standard"
    )
    return [
        {"org_standard": os, "gates": stage1_checklist(organization, os.edition)}
        for os in chosen
        if os.status in (OrgStandard.Status.GAP_ANALYSIS, OrgStandard.Status.IMPLEMENTING)
    ]


class OverviewView(OrgView):
    permission = "certification.view"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        today = timezone.localdate()
        organization = self.org
        context = {
            "today": today,
            "cycles": selectors.certificates_with_cycles(organization, today),
            "first_audits": list(selectors.first_audits(organization)),
            "open_findings": list(selectors.open_findings(organization)[:20]),
            "checklists": uncertified_checklists(organization),
            "can_manage": can(self.membership, "certification.manage"),
        }
        return render(request, "certification/overview.html", context)


# Bodies --------------------------------------------------------------------------------------


class BodyListView(ListView):
    permission = "certification.view"
    template_name = "certification/bodies.html"
    rows_template = "certification/_body_rows.html"

    def rows(self, data: dict[str, Any]) -> QuerySet[CertificationBody]:
        return CertificationBody.objects.filter(organization=self.org).prefetch_related(
            "accredited_standards"
        )

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"can_manage": can(self.membership, "certification.manage")}


class BodyDetailView(OrgView):
    permission = "certification.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        body = get_object_for(
            request,
            CertificationBody.objects.prefetch_related("accredited_standards"),
            "certification.view",
            pk=pk,
        )
        context = {
            "body": body,
            "certificates": list(body.certificates.prefetch_related(standards_prefetch())),
            "audits": list(body.audits.order_by("-starts_on", "-pk")[:50]),
            "history": object_history(body),
            "can_manage": can(self.membership, "certification.manage"),
        }
        return render(request, "certification/body.html", context)


class BodyFormView(FormView):
    permission = "certification.manage"
    model = CertificationBody
    form_class = BodyForm
    template_name = "certification/form.html"
    context_name = "body"
    success_route = "certification:body"
    initial_fields = (
        "name",
        "accreditation_body",
        "accreditation_number",
        "accredited_standards",
        "sector_codes",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contract_start",
        "contract_end",
        "major_response_days",
        "minor_response_days",
        "notes",
        "is_active",
        "version",
    )

    def initial(self, obj: Any) -> dict[str, Any]:
        return super().initial(obj) if obj is not None else {"is_active": True}

    def context(self, obj: Any) -> dict[str, Any]:
        title = _("Change %(name)s") % {"name": obj} if obj else _("New certification body")
        return {"title": title, "cancel": reverse("certification:bodies", args=[self.org.slug])}

    def act(self, obj: Any, form: Any) -> CertificationBody:
        version, data = versioned(form)
        actor = acting_user(self.request)
        if obj is None:
            return services.body_create(actor=actor, organization=self.org, **data)
        return services.body_update(actor=actor, body=obj, expected_version=version, **data)

    def message(self, obj: Any, form: Any) -> str:
        return _("%(name)s saved.") % {"name": obj}


# Certificates --------------------------------------------------------------------------------


class CertificateDetailView(OrgView):
    permission = "certification.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        today = timezone.localdate()
        certificate = get_object_for(
            request,
            Certificate.objects.select_related("body").prefetch_related(
                standards_prefetch(), "sites", "body__accredited_standards"
            ),
            "certification.view",
            pk=pk,
        )
        cycle = next(
            c
            for c in selectors.certificates_with_cycles(self.org, today)
            if c.certificate.pk == certificate.pk
        )
        standards = list(certificate.standards.all())
        context = {
            "certificate": certificate,
            "cycle": cycle,
            "standards": standards,
            "sites": list(certificate.sites.all()),
            "events": list(certificate.events.select_related("recorded_by")[:100]),
            "warnings": selectors.accreditation_warnings(certificate.body, standards),
            "history": object_history(certificate),
            "today": today,
            "can_manage": can(self.membership, "certification.manage"),
        }
        return render(request, "certification/certificate.html", context)


class CertificateCreateView(FormView):
    permission = "certification.manage"
    form_class = CertificateForm
    template_name = "certification/form.html"
    form_takes = ("organization",)
    success_route = "certification:certificate"
    success_message = gettext_lazy(
        "Certificate recorded; its surveillance and recertification audits are planned."
    )

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Record a certificate"),
            "cancel": reverse("certification:overview", args=[self.org.slug]),
        }

    def act(self, obj: Any, form: Any) -> Certificate:
        _version, data = versioned(form)
        return services.certificate_create(
            actor=acting_user(self.request), organization=self.org, **data
        )


class CertificateEditView(FormView):
    permission = "certification.manage"
    model = Certificate
    form_class = CertificateEditForm
    template_name = "certification/form.html"
    context_name = "certificate"
    form_takes = ("organization", "instance")
    success_route = "certification:certificate"
    success_message = gettext_lazy("The certificate was corrected.")

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"version": obj.version}

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Correct certificate %(number)s") % {"number": obj.number},
            "cancel": reverse("certification:certificate", args=[self.org.slug, obj.pk]),
        }

    def act(self, obj: Any, form: Any) -> Certificate:
        version, data = versioned(form)
        reason = data.pop("reason")
        return services.certificate_update(
            actor=acting_user(self.request),
            certificate=obj,
            expected_version=version,
            reason=reason,
            **data,
        )


class CertificateStatusView(ConfirmView):
    permission = "certification.manage"
    model = Certificate
    form_class = StatusForm
    template_name = "certification/confirm.html"
    context_name = "obj"
    success_route = "certification:certificate"
    success_message = gettext_lazy("The certificate's status was changed.")

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"version": obj.version, "since": timezone.localdate()}

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Change the status of certificate %(number)s") % {"number": obj.number},
            "intro": _(
                "A suspension lasts at most six months; the standards it covers are certified "
                "again only when the certificate is active."
            ),
            "cancel": reverse("certification:certificate", args=[self.org.slug, obj.pk]),
        }

    def act(self, obj: Any, form: Any) -> None:
        version, data = versioned(form)
        services.certificate_set_status(
            actor=acting_user(self.request), certificate=obj, expected_version=version, **data
        )


class EventCreateView(ConfirmView):
    permission = "certification.manage"
    model = Certificate
    form_class = EventForm
    template_name = "certification/confirm.html"
    success_route = "certification:certificate"
    success_message = gettext_lazy("The event was added to the certificate's log.")

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"occurred_on": timezone.localdate()}

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Add to the log of certificate %(number)s") % {"number": obj.number},
            "intro": _("The log is kept as written: an entry is never changed or removed."),
            "cancel": reverse("certification:certificate", args=[self.org.slug, obj.pk]),
        }

    def act(self, obj: Any, form: Any) -> None:
        services.event_record(actor=acting_user(self.request), certificate=obj, **form.cleaned_data)


# External audits -----------------------------------------------------------------------------


class AuditListView(ListView):
    permission = "certification.view"
    template_name = "certification/audits.html"
    rows_template = "certification/_audit_rows.html"
    filter_class = AuditFilter

    def rows(self, data: dict[str, Any]) -> QuerySet[ExternalAudit]:
        # The body's auditor lists only the audits they were let into (policies.visible).
        qs: QuerySet[ExternalAudit] = visible_rows(self.membership, ExternalAudit).select_related(
            "body", "certificate"
        )
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("show") == "soon":
            qs = selectors.audits_soon(qs, timezone.localdate())
        elif data.get("show") == "overdue":
            qs = selectors.audits_with_overdue_responses(qs, timezone.localdate())
        return qs.prefetch_related(standards_prefetch()).order_by("-starts_on", "-pk")

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"can_manage": can(self.membership, "certification.manage")}


class AuditDetailView(OrgView):
    permission = "certification.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        today = timezone.localdate()
        audit = get_object_for(
            request,
            ExternalAudit.objects.select_related("body", "certificate").prefetch_related(
                standards_prefetch(), "sites"
            ),
            "certification.view",
            pk=pk,
        )
        findings_qs = audit.findings.select_related("clause__edition")
        findings = list(findings_qs)
        ncs = {nc.source_id: nc for nc in raised_from_any(findings_qs)}
        rows = [(f, ncs.get(f.pk)) for f in findings]
        held = audit.status == ExternalAudit.Status.HELD
        manage = can(self.membership, "certification.manage")
        context = {
            "audit": audit,
            "standards": list(audit.standards.all()),
            "sites": list(audit.sites.all()),
            "rows": rows,
            "flags": selectors.audit_flags(audit, today),
            "today": today,
            "history": object_history(audit),
            "can_manage": manage,
            "can_respond": can(self.membership, "certification.respond"),
            "can_record": manage and audit.status != ExternalAudit.Status.CANCELLED,
            "can_find": manage
            and audit.starts_on <= today
            and audit.status != ExternalAudit.Status.CANCELLED,
            "can_cancel": manage and audit.status == ExternalAudit.Status.PLANNED,
            "held": held,
            "packs": list(audit.packs.select_related("made_by").defer("manifest")[:10]),
            "can_pack": manage and audit.status != ExternalAudit.Status.CANCELLED,
            "can_download_pack": can(self.membership, "certification.download_pack"),
            "requests": list(audit.requests.select_related("asked_by", "answered_by")),
            "can_answer": can(self.membership, "certification.answer_request"),
            "can_ask": can(self.membership, "certification.read_request")
            and current_access(self.membership, audit) is not None,
            "can_grant": manage and audit.status != ExternalAudit.Status.CANCELLED,
            "accesses": list(audit.auditor_accesses.select_related("membership__user"))
            if manage
            else [],
        }
        return render(request, "certification/audit.html", context)


class PackStartView(OrgView):
    """Make the audit's documentation pack on a worker; its page shows the progress."""

    permission = "certification.manage"

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(request, ExternalAudit, "certification.manage", pk=pk)
        if audit.status == ExternalAudit.Status.CANCELLED:
            messages.error(request, _("A cancelled audit gets no documentation pack."))
            return redirect("certification:audit", org=org, pk=pk)
        return start_job_response(self, PACK_KIND, {"audit": audit.pk})


class PackDownloadView(OrgView):
    """A pack kept with its audit, exactly as it was made; each download is in the trail."""

    permission = "certification.download_pack"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponseBase:
        pack = get_object_for(
            request,
            DocumentationPack.objects.select_related("audit"),
            "certification.download_pack",
            pk=pk,
        )
        services.pack_downloaded(actor=acting_user(request), pack=pack)
        return stored_file_response(pack.file.name, pack.file_name)


class PackManifestView(OrgView):
    """What a pack held: each file with its SHA-256 and the revision current that day."""

    permission = "certification.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        pack = get_object_for(
            request,
            DocumentationPack.objects.select_related("audit", "made_by"),
            "certification.view",
            pk=pk,
        )
        context = {
            "pack": pack,
            "audit": pack.audit,
            "can_download": can(self.membership, "certification.download_pack"),
        }
        return render(request, "certification/pack.html", context)


class AuditFormView(FormView):
    permission = "certification.manage"
    model = ExternalAudit
    form_class = AuditForm
    template_name = "certification/audit_form.html"
    context_name = "audit"
    form_takes = ("organization", "instance")
    success_route = "certification:audit"
    initial_fields = (
        "kind",
        "body",
        "certificate",
        "standards",
        "starts_on",
        "ends_on",
        "sites",
        "lead_auditor",
        "team",
        "audit_days",
        "plan_received_on",
        "notes",
        "version",
    )

    def initial(self, obj: Any) -> dict[str, Any]:
        if obj is not None:
            return super().initial(obj)
        kind = self.request.GET.get("kind", "")
        return {"kind": kind} if kind in ExternalAudit.Kind.values else {}

    def context(self, obj: Any) -> dict[str, Any]:
        # Before booking stage 1: the readiness gates of each standard not yet certified.
        show = obj is None and self.request.GET.get("kind", "stage1") == "stage1"
        return {
            "title": _("Change the %(audit)s") % {"audit": obj}
            if obj
            else _("Plan an external audit"),
            "checklists": uncertified_checklists(self.org) if show else [],
            "cancel": reverse("certification:audits", args=[self.org.slug]),
        }

    def act(self, obj: Any, form: Any) -> ExternalAudit:
        version, data = versioned(form)
        actor = acting_user(self.request)
        if obj is None:
            return services.audit_plan(actor=actor, organization=self.org, **data)
        return services.audit_update(actor=actor, audit=obj, expected_version=version, **data)

    def message(self, obj: Any, form: Any) -> str:
        return _("%(audit)s saved.") % {"audit": obj}


class AuditHeldView(ConfirmView):
    permission = "certification.manage"
    model = ExternalAudit
    form_class = HeldForm
    template_name = "certification/confirm.html"
    success_route = "certification:audit"
    success_message = gettext_lazy("The audit was recorded as held.")

    def initial(self, obj: Any) -> dict[str, Any]:
        return {
            "version": obj.version,
            "outcome": obj.outcome,
            "recommendation": obj.recommendation,
            "report_received_on": obj.report_received_on,
            "decided_on": obj.decided_on,
            "audit_days": obj.audit_days,
        }

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Record the %(audit)s as held") % {"audit": obj},
            "intro": _(
                "The body's outcome, recommendation and decision. The decision waits until every "
                "major nonconformity of the audit is verified."
            ),
            "cancel": reverse("certification:audit", args=[self.org.slug, obj.pk]),
        }

    def act(self, obj: Any, form: Any) -> None:
        version, data = versioned(form)
        services.audit_record_held(
            actor=acting_user(self.request), audit=obj, expected_version=version, **data
        )


class AuditCancelView(ConfirmView):
    permission = "certification.manage"
    model = ExternalAudit
    form_class = CancelForm
    template_name = "certification/confirm.html"
    success_route = "certification:audit"
    success_message = gettext_lazy("The audit was cancelled; it stays in the programme.")

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"version": obj.version}

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Cancel the %(audit)s") % {"audit": obj},
            "intro": _("A cancelled audit is kept with its reason; plan its replacement."),
            "cancel": reverse("certification:audit", args=[self.org.slug, obj.pk]),
        }

    def act(self, obj: Any, form: Any) -> None:
        version, data = versioned(form)
        services.audit_cancel(
            actor=acting_user(self.request), audit=obj, expected_version=version, **data
        )


class FindingCreateView(ConfirmView):
    permission = "certification.manage"
    model = ExternalAudit
    form_class = FindingForm
    template_name = "certification/finding_form.html"
    context_name = "audit"
    success_route = "certification:audit"

    def load(self, pk: int) -> ExternalAudit:
        return get_object_for(
            self.request, ExternalAudit.objects.select_related("body"), self.permission, pk=pk
        )

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"audit": obj}

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"grade": "minor", "response_due_on": services.default_deadline(obj, "minor")}

    def context(self, obj: Any) -> dict[str, Any]:
        from pdca.audits.models.finding import GRADE_DEFINITIONS

        grades = [
            (label, GRADE_DEFINITIONS[value]) for value, label in ExternalFinding.Grade.choices
        ]
        return {
            "grades": grades,
            "cancel": reverse("certification:audit", args=[self.org.slug, obj.pk]),
        }

    def act(self, obj: Any, form: Any) -> None:
        services.finding_create(actor=acting_user(self.request), audit=obj, **form.cleaned_data)

    def message(self, obj: Any, form: Any) -> str:
        if form.cleaned_data["grade"] in ExternalFinding.NONCONFORMITIES:
            return _("Finding recorded; its nonconformity is raised for the corrective action.")
        return _("Finding recorded.")


class FindingAnswerView(ConfirmView):
    permission = "certification.respond"
    model = ExternalFinding
    form_class = AnswerForm
    template_name = "certification/confirm.html"

    def load(self, pk: int) -> ExternalFinding:
        return get_object_for(
            self.request,
            ExternalFinding.objects.select_related("audit"),
            self.permission,
            pk=pk,
        )

    def initial(self, obj: Any) -> dict[str, Any]:
        step = {"open": "submit", "submitted": "accept"}.get(obj.status, "verify")
        return {"version": obj.version, "on": timezone.localdate(), "step": step}

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Answer the finding"),
            "intro": obj.statement,
            "cancel": reverse("certification:audit", args=[self.org.slug, obj.audit_id]),
        }

    def act(self, obj: Any, form: Any) -> None:
        version, data = versioned(form)
        services.finding_answer(
            actor=acting_user(self.request), finding=obj, expected_version=version, **data
        )

    def success_url(self, obj: Any) -> str:
        return reverse("certification:audit", args=[self.org.slug, obj.audit_id])

    def message(self, obj: Any, form: Any) -> str:
        return _("The finding's response was recorded.")
