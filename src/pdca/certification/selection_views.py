"""Choosing a certification body: the comparisons, each candidate's scores and the decision."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from pdca.certification import selection as sel
from pdca.certification.forms import CandidateForm, DecideForm, SelectionForm
from pdca.certification.models import BodySelection, SelectionCandidate
from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.lists import ListView


class SelectionListView(ListView):
    permission = "certification.view"
    template_name = "certification/selections.html"
    rows_template = "certification/_selection_rows.html"

    def rows(self, data: dict[str, Any]) -> QuerySet[BodySelection]:
        return BodySelection.objects.filter(organization=self.org).select_related(
            "chosen", "approved_by"
        )

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"can_manage": can(self.membership, "certification.manage")}


class SelectionCreateView(FormView):
    permission = "certification.manage"
    form_class = SelectionForm
    template_name = "certification/form.html"
    form_takes = ("organization",)
    success_route = "certification:selection"

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Compare certification bodies"),
            "cancel": reverse("certification:selections", args=[self.org.slug]),
        }

    def act(self, obj: Any, form: Any) -> BodySelection:
        return sel.selection_create(
            actor=acting_user(self.request), organization=self.org, **form.selection_values()
        )

    def message(self, saved: Any, form: Any) -> str:
        return _("Now add the candidate bodies and score them.")


class SelectionDetailView(OrgView):
    permission = "certification.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        selection = get_object_for(
            request,
            BodySelection.objects.select_related("chosen", "approved_by").prefetch_related(
                "standards__edition__standard"
            ),
            self.permission,
            pk=pk,
        )
        candidates = list(selection.candidates.select_related("body").order_by("pk"))
        columns = sel.comparison(selection, candidates)
        rows = [
            {
                "criterion": c,
                "scores": [col.candidate.scores.get(c["code"]) for col in columns],
            }
            for c in sel.shown_criteria(selection.criteria)
        ]
        is_open = selection.status == BodySelection.Status.OPEN
        context = {
            "selection": selection,
            "columns": columns,
            "rows": rows,
            "can_change": can(self.membership, "certification.manage") and is_open,
            "can_decide": can(self.membership, "certification.decide_selection")
            and is_open
            and bool(candidates),
        }
        return render(request, "certification/selection.html", context)


class CandidateAddView(ConfirmView):
    permission = "certification.manage"
    model = BodySelection
    form_class = CandidateForm
    template_name = "certification/confirm.html"

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"selection": obj, "new": True}

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Add a candidate body"),
            "intro": obj.title,
            "cancel": reverse("certification:selection", args=[self.org.slug, obj.pk]),
        }

    def act(self, obj: Any, form: Any) -> None:
        values = form.candidate_values()
        sel.candidate_add(actor=acting_user(self.request), selection=obj, **values)

    def success_url(self, obj: Any) -> str:
        return reverse("certification:selection", args=[self.org.slug, obj.pk])

    def message(self, obj: Any, form: Any) -> str:
        return _("The body is in the comparison.")


class CandidateEditView(ConfirmView):
    permission = "certification.manage"
    model = SelectionCandidate
    form_class = CandidateForm
    template_name = "certification/confirm.html"

    def load(self, pk: int) -> SelectionCandidate:
        return get_object_for(
            self.request,
            SelectionCandidate.objects.select_related("selection", "body"),
            self.permission,
            pk=pk,
        )

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"selection": obj.selection, "new": False}

    def initial(self, obj: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "version": obj.version,
            "audit_days": obj.audit_days,
            "price": obj.price,
            "notes": obj.notes,
        }
        values.update({f"score_{code}": str(score) for code, score in obj.scores.items()})
        return values

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Score %(body)s") % {"body": obj.body},
            "intro": obj.selection.title,
            "cancel": reverse("certification:selection", args=[self.org.slug, obj.selection_id]),
        }

    def act(self, obj: Any, form: Any) -> None:
        version, _data = versioned(form)
        sel.candidate_update(
            actor=acting_user(self.request),
            candidate=obj,
            expected_version=version,
            **form.candidate_values(),
        )

    def success_url(self, obj: Any) -> str:
        return reverse("certification:selection", args=[self.org.slug, obj.selection_id])

    def message(self, obj: Any, form: Any) -> str:
        return _("The scores are saved.")


class SelectionDecideView(ConfirmView):
    permission = "certification.decide_selection"
    model = BodySelection
    form_class = DecideForm
    template_name = "certification/confirm.html"

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"selection": obj}

    def initial(self, obj: Any) -> dict[str, Any]:
        candidates = list(obj.candidates.all())
        best = sel.comparison(obj, candidates)
        return {"version": obj.version, "chosen": best[0].candidate.body_id if best else None}

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "title": _("Decide: %(title)s") % {"title": obj.title},
            "intro": _("Top management approves the choice; the comparison is then kept as it is."),
            "cancel": reverse("certification:selection", args=[self.org.slug, obj.pk]),
        }

    def act(self, obj: Any, form: Any) -> None:
        version, data = versioned(form)
        sel.selection_decide(
            actor=acting_user(self.request), selection=obj, expected_version=version, **data
        )

    def success_url(self, obj: Any) -> str:
        return reverse("certification:selection", args=[self.org.slug, obj.pk])

    def message(self, obj: Any, form: Any) -> str:
        return _("The choice is recorded.")
