"""The one create-and-edit page: show a form, call the service, show its refusal at the field.

`FormView` serves both a new object (the URL has no `pk`) and an existing one (it has): GET
shows the form, POST validates it and calls the service through `act()`. The business rules
stay in the service; a `ValidationError` it raises is shown next to the field it names, or above
the form (status 400); a `ConflictError` (someone else saved the object first) above the form
with status 409. Success adds the message and redirects; a form that htmx submitted gets
`HX-Redirect` instead, so that the browser loads the next page whole rather than swapping it
into the form. Subclasses name the template, form, permission and service call,
and override the hooks they need. `ConfirmView` (a state change of an existing object) is a
`FormView` whose object is required.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from pdca.core.access import get_object_for
from pdca.core.throttle import PasswordThrottled
from pdca.core.updating import ConflictError
from pdca.core.uploads import UPLOAD_REFUSED
from pdca.core.views.base import OrgView

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise  # a lazy translation


def apply_errors(form: Any, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form; a refused
    upload (core.uploads) next to the form's file input."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    file_field = next(
        (name for name, f in form.fields.items() if isinstance(f.widget, forms.FileInput)), None
    )
    for item in error.error_list:
        upload = file_field is not None and item.code == UPLOAD_REFUSED
        form.add_error(file_field if upload else None, item.messages)


def field_values(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The values of an object's fields as a form's initial data: a foreign key's id, the
    objects of a many-to-many field."""
    values: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = list(getattr(obj, name).all())
        else:
            values[name] = field.value_from_object(obj)
    return values


def versioned(form: Any) -> tuple[Any, dict[str, Any]]:
    """The version an edit was based on (None on a create form) and the rest of the form's
    cleaned data, for `service(..., expected_version=version, **data)`."""
    data = dict(form.cleaned_data)
    return data.pop("version", None), data


def refusal_status(error: ValidationError) -> int:
    """The status of a page that shows a service's refusal."""
    if isinstance(error, PasswordThrottled):
        return 429
    return 409 if isinstance(error, ConflictError) else 400


class FormView(OrgView):
    model: Any = None  # a model or a queryset, loaded with `permission` when the URL has a pk
    form_class: type[forms.BaseForm]
    template_name: str
    context_name = "obj"  # the object's name in the template (None on a create page)
    success_message: "str | StrPromise" = ""
    success_route = ""  # where success goes: a URL name taking the organization and the pk
    success_pk = True  # False: the route takes the organization only (a list, a settings page)
    files = False  # whether the form takes uploads (request.FILES)
    # What the form's constructor is given: "instance" (the object, None on a create page),
    # "organization" (the page's), "initial" (`initial(obj)`, bound or not).
    form_takes: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()  # what `load()` fetches with the object
    initial_fields: tuple[str, ...] = ()  # the object's fields the edit form starts from
    # The status of a page showing errors: None answers 400 for an invalid form or a refusal,
    # 409 for a conflict and 429 for a throttled password; a number answers it for them all
    # (the pages that have always answered 200 or 400 keep doing so).
    error_status: int | None = None

    def load(self, pk: int) -> Any:
        """The object the URL names (more URL arguments are in `self.kwargs`)."""
        model = self.model
        if self.select_related:
            model = model._default_manager.select_related(*self.select_related)
        return get_object_for(self.request, model, self.permission, pk=pk)

    def initial(self, obj: Any) -> dict[str, Any]:
        """What the unbound form shows: by default the object's `initial_fields`."""
        return field_values(obj, self.initial_fields) if obj is not None else {}

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        """What else the form's constructor takes: by default what `form_takes` names."""
        given = {"instance": obj, "organization": self.org}
        kwargs = {name: given[name] for name in self.form_takes if name in given}
        if "initial" in self.form_takes:
            kwargs["initial"] = self.initial(obj)
        return kwargs

    def make_form(self, obj: Any, data: Any = None) -> Any:
        """The form: bound to the POST data (and files), or showing `initial(obj)`."""
        kwargs = self.form_kwargs(obj)
        if data is None:
            kwargs.setdefault("initial", self.initial(obj))
            return self.form_class(**kwargs)
        if self.files:
            kwargs["files"] = self.request.FILES
        return self.form_class(data, **kwargs)

    def context(self, obj: Any) -> dict[str, Any]:
        """What else the template shows beside the object and the form."""
        return {}

    def act(self, obj: Any, form: Any) -> Any:
        """Call the service with the valid form's data and return what it saved (or None for
        `obj`); a ValidationError is a refusal."""
        raise NotImplementedError

    def refused(self, form: Any, error: ValidationError) -> None:
        """Show the service's refusal on the form."""
        apply_errors(form, error)

    def message(self, obj: Any, form: Any) -> str:
        return str(self.success_message)

    def success_url(self, obj: Any) -> str:
        kwargs = {"org": self.org.slug, "pk": obj.pk} if self.success_pk else {"org": self.org.slug}
        return reverse(self.success_route, kwargs=kwargs)

    def _page(self, obj: Any, form: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, self.context_name: obj, **self.context(obj)}
        return render(self.request, self.template_name, context, status=status)

    def _object(self, pk: int | None) -> Any:
        return self.load(pk) if pk is not None else None

    def get(
        self, request: HttpRequest, org: str, pk: int | None = None, **kwargs: Any
    ) -> HttpResponse:
        obj = self._object(pk)
        return self._page(obj, self.make_form(obj))

    def post(
        self, request: HttpRequest, org: str, pk: int | None = None, **kwargs: Any
    ) -> HttpResponse:
        obj = self._object(pk)
        form = self.make_form(obj, request.POST)
        status = self.error_status or 400
        if form.is_valid():
            try:
                saved = self.act(obj, form)
            except ValidationError as error:
                self.refused(form, error)
                status = self.error_status or refusal_status(error)
            else:
                saved = obj if saved is None else saved
                text = self.message(saved, form)
                if text:
                    messages.success(request, text)
                url = self.success_url(saved)
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(url)
                return redirect(url)
        return self._page(obj, form, status=status)
