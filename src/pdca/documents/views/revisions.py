"""A revision: reading it, editing a draft, the signed workflow, differences, file and PDF."""

import hashlib
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for, require_permission
from pdca.core.downloads import stored_file_response
from pdca.core.pdf import pdf_response
from pdca.core.permissions import can, decide
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.documents import selectors, services, signing
from pdca.documents.forms import (
    NewRevisionForm,
    ObsoleteForm,
    PasswordForm,
    ReleaseForm,
    RevisionForm,
    SignForm,
)
from pdca.documents.models import Document, Meaning, Revision, RevisionStatus, Signature
from pdca.documents.pdf import revision_pdf
from pdca.documents.rendering import render_markdown, side_by_side


def revisions() -> QuerySet[Revision]:
    """Revisions with their document and author, built per request: the scoped manager
    limits them to the request's organization (and refuses to run outside one)."""
    return Revision.objects.select_related("document", "author")


class RevisionConfirmView(ConfirmView):
    def load(self, pk: int) -> Revision:
        return get_object_for(self.request, revisions(), self.permission, pk=pk)


class RevisionDetailView(OrgView):
    permission = "documents.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        rev = get_object_for(request, revisions(), "documents.view", pk=pk)
        services.reading_opened(actor=acting_user(request), revision=rev)
        others = list(
            rev.document.revisions.exclude(pk=rev.pk).filter(text__gt="").order_by("-seq")[:20]
        )
        context = {
            "rev": rev,
            "document": rev.document,
            "html": render_markdown(rev.text),
            "signatures": _checked_signatures(rev),
            "others": others,
            "history": object_history(rev),
            "can_edit": decide(self.membership, "documents.edit", rev).allowed,
            "turn": signing_turn(self.membership, rev),
        }
        return render(request, "documents/revision.html", context)


def _checked_signatures(rev: Revision) -> list[Signature]:
    """The revision's signatures, each with the record its hash covers and whether hashing
    that record today still gives the stored hash."""
    rows = list(rev.signatures.select_related("user"))
    for s in rows:
        s.revision = rev
        s.record = signing.signature_record(s)  # type: ignore[attr-defined]
        s.intact = (  # type: ignore[attr-defined]
            hashlib.sha256(s.record.encode()).hexdigest() == s.signed_hash  # type: ignore[attr-defined]
        )
    return rows


def signing_turn(membership: Any, rev: Revision) -> dict[str, Any]:
    turn = selectors.signing_turn(rev, membership.user_id)
    turn["meanings"] = _meanings(membership, rev, membership.user_id)
    turn["revision"] = rev
    return turn


class RevisionEditView(RevisionConfirmView):
    """Edit a draft. Anything but a draft is refused (403) by the policy's object rule."""

    permission = "documents.edit"
    form_class = RevisionForm
    template_name = "documents/revision_edit.html"
    context_name = "rev"
    files = True
    success_route = "documents:revision"
    success_message = gettext_lazy("Draft saved.")
    initial_fields = ("text", "change_reason", "version")

    def act(self, obj: Revision, form: Any) -> None:
        d = form.cleaned_data
        services.revision_update(
            actor=acting_user(self.request),
            revision=obj,
            version=d["version"],
            text=d["text"],
            change_reason=d["change_reason"],
            upload=d["file"],
            remove_file=d["remove_file"],
        )


class RevisionStartView(ConfirmView):
    """Start a new draft revision (editing an effective document, or after a periodic review)."""

    permission = "documents.edit"
    model = Document
    form_class = NewRevisionForm
    template_name = "documents/revision_start.html"
    error_status = 400
    context_name = "document"
    success_route = "documents:revision_edit"

    def act(self, obj: Document, form: Any) -> Revision:
        return services.revision_start(
            actor=acting_user(self.request), document=obj, **form.cleaned_data
        )


class RevisionSubmitView(OrgView):
    permission = "documents.edit"

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        rev = get_object_for(request, revisions(), "documents.edit", pk=pk)
        try:
            services.revision_submit(actor=acting_user(request), revision=rev)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Submitted for review."))
        return redirect("documents:revision", org=org, pk=rev.pk)


def _meanings(membership: object, rev: Revision, user_id: int) -> list[str]:
    """What the member may sign now: reviewed before they have, approved once every reviewer
    has signed (and the policy allows), rejected while either is their turn."""
    meanings = selectors.signing_turn(rev, user_id)["meanings"]
    if Meaning.APPROVED in meanings and not can(membership, "documents.approve", rev):
        meanings.remove(Meaning.APPROVED)
    if meanings == [Meaning.REJECTED]:
        return []
    return meanings


class RevisionSignView(RevisionConfirmView):
    """Sign a revision in review: reviewed, approved or rejected, with the password again."""

    permission = "documents.sign"
    template_name = "documents/sign.html"
    context_name = "rev"
    success_route = "documents:revision"

    def make_form(self, obj: Revision, data: Any = None) -> Any:
        if data is not None and data.get("meaning") == Meaning.APPROVED:
            # Asking to approve is refused outright (403) when the policy says no, e.g. to the
            # revision's own author, rather than shown as a missing choice.
            require_permission(self.membership, "documents.approve", obj)
        return SignForm(
            data, meanings=_meanings(self.membership, obj, acting_user(self.request).pk)
        )

    def context(self, obj: Revision) -> dict[str, Any]:
        return {"document": obj.document, "turn": signing_turn(self.membership, obj)}

    def act(self, obj: Revision, form: Any) -> None:
        services.revision_sign(actor=acting_user(self.request), revision=obj, **form.cleaned_data)

    def message(self, obj: Revision, form: Any) -> str:
        return _("Signed: %(m)s.") % {"m": Meaning(form.cleaned_data["meaning"]).label}


class RevisionReleaseView(RevisionConfirmView):
    permission = "documents.release"
    form_class = ReleaseForm
    template_name = "documents/release.html"
    context_name = "rev"
    success_message = gettext_lazy("Released.")

    def initial(self, obj: Revision) -> dict[str, Any]:
        return {"effective_from": timezone.localdate()}

    def act(self, obj: Revision, form: Any) -> None:
        services.revision_release(
            actor=acting_user(self.request), revision=obj, **form.cleaned_data
        )

    def success_url(self, obj: Revision) -> str:
        return reverse("documents:detail", kwargs={"org": self.org.slug, "pk": obj.document_id})


class ReviewConfirmView(ConfirmView):
    """Periodic review: confirm the effective revision unchanged, signed."""

    permission = "documents.edit"
    model = Document
    form_class = PasswordForm
    template_name = "documents/review_confirm.html"
    context_name = "document"
    success_route = "documents:detail"
    success_message = gettext_lazy("Review recorded; the next review is scheduled.")

    def act(self, obj: Document, form: Any) -> None:
        services.document_review_confirm(
            actor=acting_user(self.request), document=obj, **form.cleaned_data
        )


class ObsoleteView(ConfirmView):
    permission = "documents.release"
    model = Document
    form_class = ObsoleteForm
    template_name = "documents/obsolete.html"
    context_name = "document"
    success_route = "documents:detail"
    success_message = gettext_lazy("The document is now obsolete.")

    def act(self, obj: Document, form: Any) -> None:
        services.document_make_obsolete(
            actor=acting_user(self.request), document=obj, **form.cleaned_data
        )


class RevisionDiffView(OrgView):
    permission = "documents.view"

    def get(self, request: HttpRequest, org: str, pk: int, other: int) -> HttpResponse:
        new = get_object_for(request, revisions(), "documents.view", pk=pk)
        old = get_object_for(request, revisions(), "documents.view", pk=other)
        if old.document_id != new.document_id:
            raise Http404("Not a revision of the same document.")
        table = side_by_side(
            old.text,
            new.text,
            _("Revision %(label)s") % {"label": old.label},
            _("Revision %(label)s") % {"label": new.label},
        )
        return render(
            request,
            "documents/diff.html",
            {"old": old, "new": new, "table": table, "document": new.document},
        )


class RevisionFileView(OrgView):
    permission = "documents.download"

    def get(self, request: HttpRequest, org: str, pk: int) -> FileResponse:
        rev = get_object_for(request, revisions(), "documents.download", pk=pk)
        if not rev.file:
            raise Http404("This revision has no file.")
        services.reading_opened(actor=acting_user(request), revision=rev)
        return stored_file_response(str(rev.file.name), rev.file_name or "document")


class RevisionPdfView(OrgView):
    permission = "documents.print"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        rev = get_object_for(request, revisions(), "documents.print", pk=pk)
        signatures = list(Signature.objects.filter(revision=rev).order_by("signed_at"))
        services.reading_opened(actor=acting_user(request), revision=rev)
        return pdf_response(
            request,
            lambda: revision_pdf(rev, signatures, printed_by=acting_user(request).display_name),
            filename=f"{rev.document.number}-rev{rev.label}.pdf",
        )


__all__ = ["RevisionStatus"]
