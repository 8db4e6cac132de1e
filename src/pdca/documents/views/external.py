"""Documents of external origin: register one, register its new edition, record a check that
the registered edition is still the current one."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.views.base import acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView
from pdca.documents import external
from pdca.documents.forms import ExternalCheckForm, ExternalDocumentForm, ExternalEditionForm
from pdca.documents.models import DocType, Document


class ExternalStepView(ConfirmView):
    """A step on a document of external origin; any other document is not found here."""

    model = Document

    def load(self, pk: int) -> Document:
        return get_object_for(
            self.request, Document.objects.filter(doc_type=DocType.EXTERNAL), self.permission, pk=pk
        )


class ExternalRegisterView(FormView):
    permission = "documents.edit"
    form_class = ExternalDocumentForm
    template_name = "documents/form.html"
    form_takes = ("organization",)
    error_status = 400
    files = True
    success_route = "documents:detail"

    def initial(self, obj: None) -> dict[str, Any]:
        return {"owner": self.request.user.pk}

    def context(self, obj: None) -> dict[str, Any]:
        return {"title": _("Register a document of external origin")}

    def act(self, obj: None, form: Any) -> Document:
        data = dict(form.cleaned_data)
        return external.external_register(
            actor=acting_user(self.request),
            organization=self.org,
            upload=data.pop("file"),
            **data,
        )

    def message(self, obj: Document, form: Any) -> str:
        return _("%(n)s was registered; edition %(e)s is current.") % {
            "n": obj.number,
            "e": obj.edition,
        }


class ExternalEditionView(ExternalStepView):
    permission = "documents.manage"
    form_class = ExternalEditionForm
    template_name = "documents/external_step.html"
    error_status = 400
    files = True
    context_name = "document"
    success_route = "documents:detail"
    success_message = gettext_lazy("The new edition is registered and current.")
    initial_fields = ("obtained_from", "version")

    def context(self, obj: Document) -> dict[str, Any]:
        return {"title": _("Register a new edition")}

    def act(self, obj: Document, form: Any) -> None:
        data = dict(form.cleaned_data)
        external.external_edition_register(
            actor=acting_user(self.request),
            document=obj,
            upload=data.pop("file"),
            **data,
        )


class ExternalCheckView(ExternalStepView):
    permission = "documents.manage"
    form_class = ExternalCheckForm
    template_name = "documents/external_step.html"
    error_status = 400
    context_name = "document"
    success_route = "documents:detail"
    success_message = gettext_lazy("The check is recorded; the next one is planned.")
    initial_fields = ("version",)

    def context(self, obj: Document) -> dict[str, Any]:
        return {"title": _("Checked for a new edition: still current")}

    def act(self, obj: Document, form: Any) -> None:
        external.external_edition_checked(
            actor=acting_user(self.request), document=obj, **form.cleaned_data
        )
