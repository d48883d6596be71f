from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.static import serve


def serve_media(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    """Uploaded files from MEDIA_ROOT, when the platform serves them itself (SERVE_MEDIA).
    Their names are random and never reused, so they may be cached for long."""
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
