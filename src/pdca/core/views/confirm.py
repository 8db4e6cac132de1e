"""A state change behind its own small confirmation page (release, sign, withdraw, dispose, …).

GET shows the form for the object; POST validates it and calls the service through `act()`.
A service's refusal is shown next to the field it names (status 400, or 409 when someone else
changed the object first); success redirects with an optional message. Subclasses name the
template, form, permission and what to do, and override the hooks they need.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from pdca.core.access import get_object_for
from pdca.core.services import ConflictError
from pdca.core.throttle import PasswordThrottled
from pdca.core.views.base import OrgView
from pdca.core.views.organization import apply_errors

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise  # a lazy translation


class ConfirmView(OrgView):
    model: Any  # a model or a queryset, loaded with `permission` through get_object_for
    form_class: type[forms.Form]
    template_name: str
    context_name = "obj"  # the object's name in the template
    success_message: "str | StrPromise" = ""
    success_route = ""  # where success goes: a URL name taking the organization and obj's pk

    def load(self, pk: int) -> Any:
        return get_object_for(self.request, self.model, self.permission, pk=pk)

    def initial(self, obj: Any) -> dict[str, Any]:
        return {}

    def make_form(self, obj: Any, data: Any = None) -> Any:
        """The form: bound to the POST data, or showing `initial(obj)`."""
        if data is not None:
            return self.form_class(data)
        return self.form_class(initial=self.initial(obj))

    def context(self, obj: Any) -> dict[str, Any]:
        """What else the template shows beside the object and the form."""
        return {}

    def act(self, obj: Any, form: Any) -> None:
        """Call the service with the valid form's data; a ValidationError is a refusal."""
        raise NotImplementedError

    def message(self, obj: Any, form: Any) -> str:
        return str(self.success_message)

    def success_url(self, obj: Any) -> str:
        return reverse(self.success_route, kwargs={"org": self.org.slug, "pk": obj.pk})

    def _page(self, obj: Any, form: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, self.context_name: obj, **self.context(obj)}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        obj = self.load(pk)
        return self._page(obj, self.make_form(obj))

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        obj = self.load(pk)
        form = self.make_form(obj, request.POST)
        status = 400
        if form.is_valid():
            try:
                self.act(obj, form)
            except ValidationError as error:
                apply_errors(form, error)
                status = 409 if isinstance(error, ConflictError) else 400
                if isinstance(error, PasswordThrottled):
                    status = 429
            else:
                text = self.message(obj, form)
                if text:
                    messages.success(request, text)
                return redirect(self.success_url(obj))
        return self._page(obj, form, status=status)
