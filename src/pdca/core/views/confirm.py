"""A state change behind its own small confirmation page (release, withdraw, dispose, …).

GET shows the form for the object; POST validates it and calls the service through `act()`.
A service's refusal is shown next to the field it names (status 400, or 409 when someone else
changed the object first); success redirects with an optional message. Subclasses name the
template, form, permission and what to do.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pdca.core.access import get_object_for
from pdca.core.services import ConflictError
from pdca.core.views.base import OrgView
from pdca.core.views.organization import apply_errors

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise  # a lazy translation


class ConfirmView(OrgView):
    model: Any  # a model or a queryset, loaded with `permission` through get_object_for
    form_class: type[forms.Form]
    template_name: str
    context_name: str  # the object's name in the template
    success_message: "str | StrPromise" = ""

    def initial(self, obj: Any) -> dict[str, Any]:
        return {}

    def act(self, obj: Any, data: dict[str, Any]) -> None:
        """Call the service with the form's cleaned data; a ValidationError is a refusal."""
        raise NotImplementedError

    def success_url(self, obj: Any) -> str:
        raise NotImplementedError

    def _page(self, obj: Any, form: forms.Form, status: int = 200) -> HttpResponse:
        context = {"form": form, self.context_name: obj}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        obj = get_object_for(request, self.model, self.permission, pk=pk)
        return self._page(obj, self.form_class(initial=self.initial(obj)))

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        obj = get_object_for(request, self.model, self.permission, pk=pk)
        form = self.form_class(request.POST)
        status = 400
        if form.is_valid():
            try:
                self.act(obj, form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
                status = 409 if isinstance(error, ConflictError) else 400
            else:
                if self.success_message:
                    messages.success(request, self.success_message)
                return redirect(self.success_url(obj))
        return self._page(obj, form, status=status)
