"""Private files: stored below MEDIA_ROOT/private without a URL, and served only by a view that
checked the reader's permission first. Apps with uploads (forum posts, practice examples) store
and serve their files through this one module."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.functional import cached_property

INLINE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


class PrivateStorage(FileSystemStorage):
    """Files that only a permission-checking view serves: below MEDIA_ROOT/private, no URL."""

    @cached_property
    def base_location(self):
        return str(settings.MEDIA_ROOT) + "/private"

    def url(self, name):  # pragma: no cover - there is deliberately no public URL
        raise ValueError("private files have no public URL")


private_storage = PrivateStorage()


def private_file_response(*, file, name: str, content_type: str) -> FileResponse:
    """Send a stored private file after the caller checked the permission: images inline,
    everything else as a download, never sniffed, never cached, sandboxed."""
    response = FileResponse(
        file.open("rb"),
        as_attachment=content_type not in INLINE_TYPES,
        filename=name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
