"""The one list page: filters, paging, and the rows partial for htmx.

`ListView` reads its filters from the query string, pages the rows and renders the full page,
or only the rows partial when the request comes from htmx (the filter bar and the pager ask for
the rows alone). Filters are a django-filter `FilterSet` over `queryset()` (`filterset_class`),
or a filter form whose cleaned data a selector takes (`filter_class` and `rows(data)`). Paging
is the project's quick paging (`core.paging.quick_page`: previous/next without a COUNT, by a
cursor that costs the same on every page) unless
`counted = True` asks for "page n of m"; a list shown whole, or paged by a cursor, overrides
`paginate_rows()`. A page costs the same few queries however many rows there are: what a row
shows is loaded in `rows()` (select_related) or once per page in `context()`, never per row in
the template.
"""

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django_filters import FilterSet

from pdca.core.jinja import render_rows
from pdca.core.paging import PAGE_SIZE, quick_page
from pdca.core.typing import OrgRequest
from pdca.core.views.base import OrgView


class ListView(OrgView):
    template_name: str  # the whole page; it includes `rows_template` where the rows go
    rows_template: str  # the rows and the pager: what an htmx request receives
    filterset_class: type[FilterSet] | None = None
    filter_class: type[forms.Form] | None = None
    filters_name = "filters"  # the filter form's name in the template
    per_page = PAGE_SIZE
    counted = False  # "page n of m" (a COUNT) instead of previous/next
    # A Jinja2 rows partial (`<app>/jinja2/<app>/_*_rows.html`, for the long tables) is
    # rendered first and placed in the page as `{{ rows }}`; a Django one is included.
    jinja_rows = False

    def filter_kwargs(self) -> dict[str, Any]:
        """What else the filter form or filterset takes (`organization=self.org`)."""
        return {}

    def filters(self) -> tuple[Any, dict[str, Any]]:
        """The filter form and the filters it accepted (empty when it is not valid)."""
        data = self.request.GET or None
        if self.filterset_class is not None:
            filterset = self.filterset_class(
                data, queryset=self.queryset(), request=self.request, **self.filter_kwargs()
            )
            form = filterset.form
            self.filterset = filterset
        elif self.filter_class is not None:
            form = self.filter_class(data, **self.filter_kwargs())
        else:
            return None, {}
        return form, dict(form.cleaned_data) if form.is_bound and form.is_valid() else {}

    def queryset(self) -> Any:
        """The rows before the filterset's filters (with a `filterset_class`)."""
        raise NotImplementedError

    def rows(self, data: dict[str, Any]) -> Any:
        """The filtered rows, ordered: by default the filterset's."""
        if self.filterset_class is None:
            raise NotImplementedError
        return self.filterset.qs

    def paginate_rows(self, rows: Any) -> Any:
        """The page of rows the template shows as `page` (a list that shows every row, or
        pages its own way, returns the rows as they are)."""
        number = self.request.GET.get("page")
        if self.counted:
            return Paginator(rows, self.per_page).get_page(number)
        get = self.request.GET
        return quick_page(
            rows, number, self.per_page, after=get.get("after"), before=get.get("before")
        )

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        """What else the page shows: permissions, facts about the rows on this page."""
        return {}

    def get(self, request: OrgRequest, org: str, **kwargs: Any) -> HttpResponse:
        form, data = self.filters()
        self.filters_form = form
        page = self.paginate_rows(self.rows(data))
        context = {
            "page": page,
            self.filters_name: form,
            "filtered": bool(data),
            "query": request.GET.urlencode(),
            **self.context(page, data),
        }
        if self.jinja_rows:
            rows = render_rows(request, self.rows_template, context)
            if request.htmx:
                return HttpResponse(rows)
            return render(request, self.template_name, {**context, "rows": rows})
        template = self.rows_template if request.htmx else self.template_name
        return render(request, template, context)
