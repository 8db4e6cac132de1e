"""Serving an uploaded file: one whose bytes are missing from storage is a 404 with a message
(the row survives, say after a partial restore), not a server error."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def stored_file_response(name: str, filename: str) -> FileResponse:
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404(
            _("The file %(name)s is missing from storage: ask an administrator to restore it.")
            % {"name": filename}
        ) from None
    return FileResponse(handle, as_attachment=True, filename=filename)
