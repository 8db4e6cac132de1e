"""The body's auditor on an external audit: letting them in and ending it, their requests for
evidence and the answers, and the log of what they opened (the management representative's)."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.certification import access
from pdca.certification.forms import AccessForm, EndAccessForm, RequestAnswerForm, RequestForm
from pdca.certification.models import AuditorAccess, EvidenceRequest, ExternalAudit
from pdca.core.access import get_object_for
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import versioned


def _audit_url(view: Any, audit_id: int) -> str:
    return reverse("certification:audit", args=[view.org.slug, audit_id])


class AccessGrantView(ConfirmView):
    """Let the body's auditor into this audit, from one day to another."""

    permission = "certification.manage"
    model = ExternalAudit
    form_class = AccessForm
    template_name = "certification/confirm.html"

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"organization": self.org}

    def initial(self, obj: Any) -> dict[str, Any]:
        today = timezone.localdate()
        return {"valid_from": min(today, obj.starts_on), "valid_until": max(today, obj.ends_on)}

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Let the auditor into the %(audit)s") % {"audit": obj},
            "intro": _(
                "While the access runs, the auditor sees this audit, its findings, packs and "
                "requests, and no other external audit; every page they open is recorded."
            ),
            "cancel": _audit_url(self, obj.pk),
        }

    def act(self, obj: Any, form: Any) -> None:
        access.auditor_access_grant(actor=acting_user(self.request), audit=obj, **form.cleaned_data)

    def success_url(self, obj: Any) -> str:
        return _audit_url(self, obj.pk) + "#auditor"

    def message(self, obj: Any, form: Any) -> str:
        return _("%(name)s is let into the audit until %(day)s.") % {
            "name": form.cleaned_data["membership"].user.display_name,
            "day": form.cleaned_data["valid_until"],
        }


class AccessEndView(ConfirmView):
    permission = "certification.manage"
    model = AuditorAccess
    form_class = EndAccessForm
    template_name = "certification/confirm.html"

    def load(self, pk: int) -> AuditorAccess:
        return get_object_for(
            self.request,
            AuditorAccess.objects.select_related("audit", "membership__user"),
            self.permission,
            pk=pk,
        )

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"version": obj.version}

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("End %(name)s's access") % {"name": obj.membership.user.display_name},
            "intro": _("From now on the auditor no longer sees the %(audit)s.")
            % {"audit": obj.audit},
            "cancel": _audit_url(self, obj.audit_id),
        }

    def act(self, obj: Any, form: Any) -> None:
        version, _data = versioned(form)
        access.auditor_access_end(
            actor=acting_user(self.request), access=obj, expected_version=version
        )

    def success_url(self, obj: Any) -> str:
        return _audit_url(self, obj.audit_id) + "#auditor"

    def message(self, obj: Any, form: Any) -> str:
        return _("The access has ended.")


class RequestCreateView(ConfirmView):
    """The body's auditor asks to see something."""

    permission = "certification.read_request"
    model = ExternalAudit
    form_class = RequestForm
    template_name = "certification/confirm.html"

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Ask for evidence"),
            "intro": _("The management representative answers with links to what shows it."),
            "cancel": _audit_url(self, obj.pk),
        }

    def act(self, obj: Any, form: Any) -> None:
        access.evidence_request_create(
            actor=acting_user(self.request), audit=obj, text=form.cleaned_data["text"]
        )

    def success_url(self, obj: Any) -> str:
        return _audit_url(self, obj.pk) + "#requests"

    def message(self, obj: Any, form: Any) -> str:
        return _("Your request is with the management representative.")


class RequestAnswerView(ConfirmView):
    permission = "certification.answer_request"
    model = EvidenceRequest
    form_class = RequestAnswerForm
    template_name = "certification/confirm.html"

    def load(self, pk: int) -> EvidenceRequest:
        return get_object_for(
            self.request, EvidenceRequest.objects.select_related("audit"), self.permission, pk=pk
        )

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"version": obj.version, "answer": obj.answer, "links": "\n".join(obj.links)}

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Answer the auditor's request"),
            "intro": obj.text,
            "cancel": _audit_url(self, obj.audit_id),
        }

    def act(self, obj: Any, form: Any) -> None:
        version, data = versioned(form)
        access.evidence_request_answer(
            actor=acting_user(self.request), request=obj, expected_version=version, **data
        )

    def success_url(self, obj: Any) -> str:
        return _audit_url(self, obj.audit_id) + "#requests"

    def message(self, obj: Any, form: Any) -> str:
        return _("The request is answered.")


class OpenedLogView(OrgView):
    """What the auditors let into this audit opened, newest first (from the trail)."""

    permission = "certification.answer_request"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(request, ExternalAudit, self.permission, pk=pk)
        page = Paginator(access.opened_log(audit), 50).get_page(request.GET.get("page"))
        return render(
            request, "certification/opened.html", {"audit": audit, "page": page, "entries": page}
        )
