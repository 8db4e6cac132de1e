"""Conducting the audit: the phone checklist, its JSON sync endpoint, photos, editing and
templates."""

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pdca.audits import services
from pdca.audits.forms import QuestionForm, TemplateApplyForm, TemplateSaveForm
from pdca.audits.models import (
    Audit,
    ChecklistAnswerRevision,
    ChecklistPhoto,
    ChecklistQuestion,
    ChecklistTemplate,
)
from pdca.audits.models.checklist import Answer
from pdca.core.access import get_object_for
from pdca.core.models import User
from pdca.core.views.base import OrgView, acting_user, org_view
from pdca.core.views.forms import apply_errors
from pdca.core.views.lists import ListView
from pdca.core.views.offline import offline_key

# Checklists kept on the auditor's device besides the one open (the audits they are on).
KEPT_OFFLINE = 20


def _questions(audit: Audit) -> Any:
    return audit.questions.select_related(
        "clause__edition", "process", "document", "answered_by"
    ).prefetch_related(
        "also_clauses__edition",
        Prefetch("photos", queryset=ChecklistPhoto.objects.only("pk", "name", "question_id")),
        Prefetch(
            "revisions",
            queryset=ChecklistAnswerRevision.objects.filter(
                accepted=False, resolved=False
            ).select_related("author"),
            to_attr="open_conflicts",
        ),
    )


def _kept_offline(audit: Audit, user: User) -> list[dict[str, str]]:
    """The checklists this device keeps for offline work: the open one, and those of the
    audits not yet closed that the user leads or is on the team of."""
    org = audit.organization.slug
    others = (
        Audit.objects.filter(organization=audit.organization)
        .filter(Q(lead_auditor=user) | Q(team=user))
        .exclude(status=Audit.Status.CLOSED)
        .exclude(pk=audit.pk)
        .distinct()
        .only("pk", "reference", "title")
        .order_by("planned_start", "pk")[:KEPT_OFFLINE]
    )
    audits = [audit, *others]
    return [
        {
            "url": reverse("audits:checklist", kwargs={"org": org, "pk": a.pk}),
            "label": _("Checklist %(audit)s") % {"audit": a},
        }
        for a in audits
    ]


def _texts() -> dict[str, str]:
    """What the checklist's script says, in the reader's language ({n}, {reason}, {status} and
    {name} are filled in by the script)."""
    return {
        "pending_one": _("{n} question not yet synced"),
        "pending_other": _("{n} questions not yet synced"),
        "photos_one": _(", {n} photo"),
        "photos_other": _(", {n} photos"),
        "aside_one": _("{n} item set aside"),
        "aside_other": _("{n} items set aside"),
        "all_synced": _("Everything is synced"),
        "online": _("online"),
        "offline": _("offline: saved on this device"),
        "offline_ready": _("Available offline"),
        "saved_device": _("Saved on this device"),
        "photo_saved_device": _("Photo saved on this device"),
        "photo_pending": _("{name} (on this device)"),
        "photo_synced": _("Photo synced"),
        "synced": _("Synced"),
        "conflict": _("Conflicting edits"),
        "conflict_text": _(
            "Another device saved this answer first. Your edit is kept on the server for "
            "review; the form now shows the saved answer."
        ),
        "photo_refused": _("This photo was not accepted: {reason}"),
        "answer_refused": _("This answer was not accepted: {reason}"),
        "aside_hint": _(
            "It is set aside on this device; everything else goes on syncing. Choose what to do:"
        ),
        "retry": _("Try again"),
        "replace": _("Replace the photo"),
        "discard": _("Discard"),
        "discard_confirm": _("Discard it for good?"),
        "orphan": _("For a question no longer on this checklist"),
        "refused_status": _("The server refused it (error {status})."),
        "too_large": _("It is too large for the server."),
        "server_error": _("The server had a problem (error {status}); pdca tries again shortly."),
        "server_gave_up": _("The server could not save it after several tries (error {status})."),
        "signed_out": _(
            "You are signed out. What you entered stays on this device: sign in again to send it."
        ),
        "sign_in": _("Sign in"),
        "security": _(
            "The server's security check failed. What you entered stays on this device: reload "
            "the page while online to send it."
        ),
        "storage_full": _(
            "This device has no room left to keep answers: free some space or sync before going on."
        ),
    }


class ChecklistView(OrgView):
    """The page the auditor fills on a phone; it keeps working offline (checklist-offline.js),
    and its service worker keeps it and the auditor's other checklists on the device."""

    permission = "audits.conduct"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(request, Audit, "audits.conduct", pk=pk)
        user = acting_user(request)
        here = request.path
        offline = {
            "user": offline_key(user),
            "pages": _kept_offline(audit, user),
            "scope": reverse("audits:programme", kwargs={"org": org}),
            "serviceWorker": reverse("core:service_worker"),
            "signIn": reverse("core:login") + "?next=" + here,
            "csrfCookie": settings.CSRF_COOKIE_NAME,
            "texts": _texts(),
        }
        return render(
            request,
            "audits/checklist.html",
            {
                "audit": audit,
                "questions": _questions(audit),
                "answers": Answer.choices,
                "on_team": services.is_on_team(audit, user),
                "offline": offline,
            },
        )


def _refusal(errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    """A refused request in JSON: the errors by field, and one sentence to show a person."""
    message = " ".join(str(m) for messages_ in errors.values() for m in messages_)
    return JsonResponse({"ok": False, "errors": errors, "message": message}, status=status)


def _json_error(error: ValidationError, status: int = 400) -> JsonResponse:
    detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
    return _refusal(detail, status)


def _question_state(q: ChecklistQuestion) -> dict[str, Any]:
    return {
        "question": q.pk,
        "version": q.version,
        "answer": q.answer,
        "notes": q.notes,
        "evidence_seen": q.evidence_seen,
        "has_conflict": q.has_conflict,
    }


@org_view("audits.conduct")
def checklist_sync(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """GET: every question's current version and answer. POST (JSON): one answer or a list, in
    order; each is idempotent on its client id and a stale base version is kept as a conflict."""
    audit = get_object_for(request, Audit, "audits.conduct", pk=pk)
    if request.method == "GET":
        # Also renews the CSRF cookie: a page kept offline may come back after a new sign-in.
        return JsonResponse(
            {
                "questions": [_question_state(q) for q in audit.questions.all()],
                "csrf_token": get_token(request),
            }
        )
    if request.method != "POST":
        return _refusal({"detail": [_("Use GET or POST.")]}, status=405)
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _refusal({"detail": [_("Send JSON.")]})
    items = payload.get("answers") if isinstance(payload, dict) else None
    if isinstance(payload, dict) and items is None:
        items = [payload]
    if not isinstance(items, list) or not items or len(items) > 200:
        return _refusal({"answers": [_("Send 1 to 200 answers.")]})
    questions = {q.pk: q for q in audit.questions.all()}
    results = []
    for item in items:
        if not isinstance(item, dict):
            return _refusal({"answers": [_("Not an answer.")]})
        try:
            question = questions[int(item.get("question"))]  # type: ignore[arg-type]
            base = int(item.get("base_version"))  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            return _refusal(
                {"question": [_("This question is no longer on the audit's checklist.")]}
            )
        try:
            result = services.answer_submit(
                actor=acting_user(request),
                question=question,
                client_id=str(item.get("client_id") or ""),
                base_version=base,
                answer=str(item.get("answer") or ""),
                notes=str(item.get("notes") or "")[:10000],
                evidence_seen=str(item.get("evidence_seen") or "")[:10000],
            )
        except ValidationError as error:
            return _json_error(
                error, 403 if not services.is_on_team(audit, acting_user(request)) else 400
            )
        results.append(
            {
                "client_id": result.revision.client_id,
                "outcome": result.outcome,
                **_question_state(result.question),
            }
        )
    return JsonResponse({"ok": True, "results": results})


@org_view("audits.conduct")
def photo_upload(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    audit = get_object_for(request, Audit, "audits.conduct", pk=pk)
    if request.method != "POST":
        return _refusal({"detail": [_("Send the photo with POST.")]}, status=405)
    upload = request.FILES.get("photo")
    try:
        question = audit.questions.get(pk=int(request.POST.get("question", "")))
    except (ValueError, ChecklistQuestion.DoesNotExist):
        return _refusal({"question": [_("This question is no longer on the audit's checklist.")]})
    if upload is None:
        return _refusal({"photo": [_("Attach a photo.")]})
    if upload.size and upload.size > services.checklist.MAX_PHOTO_BYTES:  # type: ignore[attr-defined]
        return _refusal({"photo": [_("The photo is larger than 5 MB.")]})
    try:
        photo = services.photo_add(
            actor=acting_user(request),
            question=question,
            client_id=request.POST.get("client_id", ""),
            name=upload.name or "photo",
            data=upload.read(),
        )
    except ValidationError as error:
        return _json_error(error)
    return JsonResponse(
        {
            "ok": True,
            "photo": photo.pk,
            "client_id": photo.client_id,
            "url": reverse("audits:photo", kwargs={"org": org, "pk": photo.pk}),
        }
    )


@org_view("audits.view")
def photo_view(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    photo = get_object_for(request, ChecklistPhoto, "audits.view", pk=pk)
    response = HttpResponse(bytes(photo.data), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@org_view("audits.conduct")
@require_POST
def conflict_resolve(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    question = get_object_for(request, ChecklistQuestion, "audits.conduct", pk=pk)
    try:
        services.conflict_resolve(actor=acting_user(request), question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("audits:checklist", org=org, pk=question.audit_id)


class ChecklistEditView(OrgView):
    permission = "audits.conduct"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(request, Audit, "audits.conduct", pk=pk)
        return self.show(audit)

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(request, Audit, "audits.conduct", pk=pk)
        actor = acting_user(request)
        op = request.POST.get("op")
        forms: dict[str, Any] = {}
        try:
            if op == "generate":
                added = services.checklist_generate(actor=actor, audit=audit)
                messages.success(request, _("%(n)d questions added.") % {"n": added})
            elif op == "add":
                forms["question_form"] = qform = QuestionForm(request.POST)
                if not qform.is_valid():
                    return self.show(audit, status=400, **forms)
                services.question_save(actor=actor, audit=audit, **qform.cleaned_data)
                messages.success(request, _("The question was added."))
            elif op == "remove":
                question = audit.questions.filter(pk=request.POST.get("question") or 0).first()
                if question is None:
                    raise ValidationError(_("Unknown question."))
                services.question_remove(actor=actor, question=question)
                messages.success(request, _("The question was removed."))
            elif op == "save_template":
                forms["template_form"] = tform = TemplateSaveForm(request.POST)
                if not tform.is_valid():
                    return self.show(audit, status=400, **forms)
                services.template_save(actor=actor, audit=audit, name=tform.cleaned_data["name"])
                messages.success(request, _("The checklist was saved as a template."))
            elif op == "apply_template":
                forms["apply_form"] = aform = TemplateApplyForm(request.POST, organization=self.org)
                if not aform.is_valid():
                    return self.show(audit, status=400, **forms)
                services.template_apply(
                    actor=actor, audit=audit, template=aform.cleaned_data["template"]
                )
                messages.success(request, _("The template's questions were added."))
            else:
                messages.error(request, _("Unknown request."))
                return self.show(audit, status=400)
        except ValidationError as error:
            target = next(iter(forms.values()), None)
            if target is not None:
                apply_errors(target, error)
            else:
                messages.error(request, " ".join(error.messages))
            return self.show(audit, status=400, **forms)
        return redirect("audits:checklist_edit", org=org, pk=pk)

    def show(self, audit: Audit, status: int = 200, **forms: Any) -> HttpResponse:
        context = {
            "audit": audit,
            "questions": audit.questions.select_related("clause__edition", "process"),
            "question_form": forms.get("question_form") or QuestionForm(),
            "template_form": forms.get("template_form") or TemplateSaveForm(),
            "apply_form": forms.get("apply_form") or TemplateApplyForm(organization=self.org),
        }
        return render(self.request, "audits/checklist_edit.html", context, status=status)


class TemplateListView(ListView):
    permission = "audits.view"
    template_name = "audits/templates.html"
    rows_template = "audits/templates.html"
    counted = True

    def rows(self, data: dict[str, Any]) -> Any:
        return ChecklistTemplate.objects.filter(organization=self.org).select_related("created_by")
