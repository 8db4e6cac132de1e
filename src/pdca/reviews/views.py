"""Management review pages: the list, the plan form, the review's page (inputs, discussion,
outputs), the small forms of each step, and the minutes as a PDF."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.pdf import pdf_response
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, field_values, versioned
from pdca.core.views.lists import ListView
from pdca.reviews import selectors, services
from pdca.reviews.forms import (
    HoldForm,
    InputForm,
    OutputForm,
    OutputUpdateForm,
    PrepareForm,
    ReviewFilterForm,
    ReviewForm,
    SignForm,
)
from pdca.reviews.minutes import minutes_parts, minutes_pdf, minutes_text
from pdca.reviews.models import Review, ReviewInput, ReviewOutput


class ReviewListView(ListView):
    permission = "reviews.view"
    template_name = "reviews/list.html"
    rows_template = "reviews/_review_rows.html"
    filter_class = ReviewFilterForm

    def rows(self, data: dict[str, Any]) -> Any:
        return selectors.review_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "today": timezone.localdate(),
            "can_manage": can(self.membership, "reviews.manage"),
            "state": selectors.review_due_state(self.org, timezone.localdate()),
        }


class ReviewEditView(FormView):
    """Plan a review (new/) or change its plan (<pk>/edit/)."""

    permission = "reviews.manage"
    model = Review
    form_class = ReviewForm
    template_name = "reviews/review_form.html"
    context_name = "review"
    form_takes = ("organization", "initial")
    success_route = "reviews:detail"

    def initial(self, obj: Review | None) -> dict[str, Any]:
        if obj is None:
            return {"interval_months": 12}
        return field_values(
            obj,
            (
                "version",
                "title",
                "planned_on",
                "editions",
                "chair",
                "attendees",
                "period_start",
                "interval_months",
                "communication",
            ),
        )

    def act(self, obj: Review | None, form: Any) -> Review:
        version, data = versioned(form)
        actor = acting_user(self.request)
        if obj is None:
            return services.review_plan(actor=actor, organization=self.org, **data)
        if data.get("period_start") is None:
            data.pop("period_start")
        return services.review_update(actor=actor, review=obj, expected_version=version, **data)

    def message(self, obj: Review, form: Any) -> str:
        return _("%(ref)s is saved.") % {"ref": obj.reference}


class ReviewDetailView(OrgView):
    permission = "reviews.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        review = get_object_for(
            request,
            Review.objects.select_related("chair", "signed_by").defer("pdf"),
            "reviews.view",
            pk=pk,
        )
        parts = minutes_parts(review)
        today = timezone.localdate()
        is_open = review.status != Review.Status.SIGNED
        outputs = parts["outputs"]
        return render(
            request,
            "reviews/detail.html",
            {
                "review": review,
                **parts,
                "today": today,
                "addressed": sum(1 for i in parts["inputs"] if i.is_addressed),
                "problems": services.holding_problems(review)
                if review.status == Review.Status.PREPARED
                else [],
                "can_manage": is_open and can(self.membership, "reviews.manage"),
                "can_sign": review.status == Review.Status.HELD
                and can(self.membership, "reviews.sign"),
                "my_outputs": {
                    o.pk for o in outputs if can(self.membership, "reviews.update_output", o)
                },
                "history": object_history(review),
            },
        )


class MinutesPdfView(OrgView):
    """The signed minutes are the very PDF that was signed; before that, a draft printed now."""

    permission = "reviews.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        review = get_object_for(request, Review, "reviews.view", pk=pk)
        filename = f"{review.reference}.pdf"
        if review.is_signed and review.pdf:
            signed = bytes(review.pdf)
            return pdf_response(request, lambda: signed, filename=filename)
        return pdf_response(
            request, lambda: minutes_pdf(review, minutes_text(review)), filename=filename
        )


class StepView(ConfirmView):
    """A small page for one step of the review; the object is the review unless a subclass
    loads one of its parts (an input, an output)."""

    model: Any = Review
    template_name = "reviews/step.html"
    title: str | Promise = ""
    button: str | Promise = gettext_lazy("Save")
    intro: str | Promise = ""

    def review_of(self, obj: Any) -> Review:
        return obj if isinstance(obj, Review) else obj.review

    def context(self, obj: Any) -> dict[str, Any]:
        return {
            "review": self.review_of(obj),
            "title": self.title,
            "button": self.button,
            "intro": self.intro,
        }

    def success_url(self, obj: Any) -> str:
        return reverse(
            "reviews:detail", kwargs={"org": self.org.slug, "pk": self.review_of(obj).pk}
        )


class PrepareView(StepView):
    permission = "reviews.manage"
    form_class = PrepareForm
    title = gettext_lazy("Compile the inputs")
    button = gettext_lazy("Compile the inputs")
    intro = gettext_lazy(
        "pdca compiles every input the covered standards require from its live data and keeps "
        "the figures as they are now, so that the minutes show what the meeting saw. Compiling "
        "again refreshes the figures and keeps what was written."
    )
    success_message = gettext_lazy("The inputs are compiled.")

    def act(self, obj: Review, form: Any) -> Review:
        return services.review_prepare(actor=acting_user(self.request), review=obj)


class InputView(StepView):
    permission = "reviews.manage"
    model = ReviewInput
    select_related = ("review",)
    template_name = "reviews/input_form.html"
    title = gettext_lazy("Discuss the input")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return InputForm(
            data,
            available=obj.available,
            initial=field_values(obj, ("version", "entered_data", "notes", "conclusion")),
        )

    def context(self, obj: Any) -> dict[str, Any]:
        return {**super().context(obj), "item": obj}

    def act(self, obj: ReviewInput, form: Any) -> ReviewInput:
        version, data = versioned(form)
        return services.input_record(
            actor=acting_user(self.request), review_input=obj, expected_version=version, **data
        )


class OutputAddView(StepView):
    permission = "reviews.manage"
    form_class = OutputForm
    form_takes = ("organization",)
    title = gettext_lazy("Record a decision and its action")

    def act(self, obj: Review, form: Any) -> Any:
        return services.output_add(actor=acting_user(self.request), review=obj, **form.cleaned_data)


class OutputUpdateView(StepView):
    permission = "reviews.update_output"
    model = ReviewOutput
    select_related = ("review",)
    form_class = OutputUpdateForm
    initial_fields = ("version", "status", "notes")
    form_takes = ("initial",)
    title = gettext_lazy("Update the action")

    def act(self, obj: ReviewOutput, form: Any) -> ReviewOutput:
        version, data = versioned(form)
        return services.output_update(
            actor=acting_user(self.request), output=obj, expected_version=version, **data
        )


class HoldView(StepView):
    permission = "reviews.manage"
    form_class = HoldForm
    form_takes = ("initial",)
    template_name = "reviews/hold.html"
    title = gettext_lazy("Record the review as held")
    button = gettext_lazy("Record as held")
    success_message = gettext_lazy("The review is recorded as held: its minutes can be signed.")

    def initial(self, obj: Review) -> dict[str, Any]:
        return {
            "version": obj.version,
            "held_on": obj.held_on or timezone.localdate(),
            "conclusion": obj.conclusion,
            "communication": obj.communication,
        }

    def context(self, obj: Any) -> dict[str, Any]:
        return {**super().context(obj), "problems": services.holding_problems(obj)}

    def act(self, obj: Review, form: Any) -> Review:
        version, data = versioned(form)
        return services.review_hold(
            actor=acting_user(self.request), review=obj, expected_version=version, **data
        )


class SignView(StepView):
    permission = "reviews.sign"
    form_class = SignForm
    title = gettext_lazy("Sign the minutes")
    button = gettext_lazy("Sign the minutes")
    intro = gettext_lazy(
        "Signing keeps the minutes' exact text with its SHA-256 and the PDF. The review then is "
        "the retained record of 9.3: nothing of it changes but the progress of its actions."
    )
    success_message = gettext_lazy("The minutes are signed.")

    def act(self, obj: Review, form: Any) -> Review:
        return services.review_sign(
            actor=acting_user(self.request), review=obj, password=form.cleaned_data["password"]
        )
