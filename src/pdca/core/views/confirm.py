"""A state change behind its own small confirmation page (release, sign, withdraw, dispose, …).

GET shows the form for the object; POST validates it and calls the service through `act()`.
A service's refusal is shown next to the field it names (status 400, or 409 when someone else
changed the object first); success redirects with an optional message. It is the create-and-edit
`FormView` on an object the URL always names; subclasses name the template, form, permission
and what to do, and override the hooks they need. The template shows its form with the shared
`core/_confirm.html`.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse

from pdca.core.views.forms import FormView


class ConfirmView(FormView):
    def get(self, request: HttpRequest, org: str, pk: int, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        return super().get(request, org, pk, **kwargs)

    def post(self, request: HttpRequest, org: str, pk: int, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        return super().post(request, org, pk, **kwargs)
