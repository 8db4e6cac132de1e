"""A URLconf for the tests of the view bases: the real one plus a form page and a list page
built on `FormView` and `ListView` alone, over the organization's sites."""

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.urls import path

from pdca.config.urls import urlpatterns
from pdca.core import services
from pdca.core.models import Site
from pdca.core.updating import ConflictError
from pdca.core.views.base import acting_user
from pdca.core.views.forms import FormView
from pdca.core.views.lists import ListView


class SiteNameForm(forms.Form):
    name = forms.CharField(max_length=50)


class SiteNameView(FormView):
    """Creates a site, or renames one; "taken" and "stale" stand for a service's refusals."""

    permission = "core.manage_organization"
    model = Site
    form_class = SiteNameForm
    template_name = "bases/form.html"
    context_name = "site"
    success_message = "Saved the site."

    def initial(self, obj: Site | None) -> dict[str, Any]:
        return {"name": obj.name} if obj else {}

    def act(self, obj: Site | None, form: Any) -> Site:
        name = form.cleaned_data["name"]
        if name == "taken":
            raise ValidationError({"name": "That name is taken."})
        if name == "stale":
            raise ConflictError("Someone else changed this site first.")
        return services.site_save(
            actor=acting_user(self.request), organization=self.org, site=obj, name=name
        )

    def success_url(self, obj: Site) -> str:
        return f"/o/{self.org.slug}/bases/sites/{obj.pk}/"


class SiteFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Site
        fields = ["name"]


class SiteListView(ListView):
    permission = "core.view_members"
    template_name = "bases/list.html"
    rows_template = "bases/_rows.html"
    filterset_class = SiteFilter
    per_page = 2

    def queryset(self) -> Any:
        return Site.objects.filter(organization=self.org).order_by("name")


urlpatterns = [
    path("o/<slug:org>/bases/sites/", SiteListView.as_view()),
    path("o/<slug:org>/bases/sites/new/", SiteNameView.as_view()),
    path("o/<slug:org>/bases/sites/<int:pk>/", SiteNameView.as_view()),
    *urlpatterns,
]
