"""Every page and file the body's auditor opens is written to the trail, so that the management
representative sees what was shown (ISO/IEC 17021-1 audits sample what they are given)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from pdca.certification.policies import is_only_external


class AuditorOpenedMiddleware:
    """After the response: a successful GET by a member whose only role is external auditor
    (the membership the view loaded, so no query of its own) is recorded; htmx fragments of a
    page already recorded are not."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        membership = getattr(request, "_pdca_membership", None)
        if (
            membership is not None
            and request.method == "GET"
            and response.status_code == 200
            and not request.headers.get("HX-Request")
            and is_only_external(membership)
        ):
            from pdca.certification.access import auditor_opened

            match = request.resolver_match
            query = request.META.get("QUERY_STRING", "")
            auditor_opened(
                membership=membership,
                path=request.path + (f"?{query}" if query else ""),
                page=match.view_name if match else "",
            )
        return response
