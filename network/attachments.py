"""Attachments of forum posts and practice examples: which files may be attached (the type is
read from the file's content, not taken from its name or the browser's claim, and must agree with
the extension), the fields every attachment row has, saving and serving them."""

import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils import timezone

from core.files import private_file_response
from network.exceptions import AttachmentRefused

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5

OOXML = {
    "docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
OLE = {"doc": "application/msword", "xls": "application/vnd.ms-excel",
       "ppt": "application/vnd.ms-powerpoint"}  # fmt: skip
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@dataclass
class CheckedFile:
    file: UploadedFile
    name: str
    content_type: str
    size: int


def _sniff(head: bytes, data_for_zip, extension: str) -> str | None:
    """The content type the bytes prove for this extension, or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf" if extension == "pdf" else None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png" if extension == "png" else None
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg" if extension in ("jpg", "jpeg") else None
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif" if extension == "gif" else None
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp" if extension == "webp" else None
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE.get(extension)
    if head.startswith(b"PK\x03\x04") and (extension in OOXML or extension in ODF):
        try:
            with zipfile.ZipFile(data_for_zip()) as archive:
                names = set(archive.namelist())
                if extension in OOXML:
                    folder, mime = OOXML[extension]
                    ok = "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
                    return mime if ok else None
                if (
                    "mimetype" in names
                    and archive.read("mimetype").strip() == ODF[extension].encode()
                ):
                    return ODF[extension]
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
    return None


def attachment_check(*, file: UploadedFile) -> CheckedFile:
    """Refuse anything but PDF, office documents and PNG/JPEG/GIF/WebP images up to 10 MB, where
    the content proves the type named by the extension (an SVG, an HTML file renamed .pdf or a
    program renamed .docx are refused)."""
    name = (file.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    if not name or "." not in name:
        raise AttachmentRefused
    if file.size is None or file.size == 0 or file.size > MAX_ATTACHMENT_SIZE:
        raise AttachmentRefused
    extension = name.rsplit(".", 1)[1].lower()
    file.seek(0)
    head = file.read(16)

    def whole():
        file.seek(0)
        return io.BytesIO(file.read())

    content_type = _sniff(head, whole, extension)
    file.seek(0)
    if content_type is None:
        raise AttachmentRefused
    return CheckedFile(file=file, name=name, content_type=content_type, size=file.size)


def attachments_check(*, files) -> list[CheckedFile]:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_ATTACHMENTS:
        raise AttachmentRefused
    return [attachment_check(file=f) for f in files]


class Attachment(models.Model):
    """A checked upload kept in private storage. Each owner (a forum post, a practice example)
    has a concrete model that adds its foreign key and the `file` field with its folder."""

    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


def attachments_save(*, model: type[Attachment], files: list[CheckedFile], **owner) -> None:
    """Store checked files as rows of `model`, each with the owner given (post=… or
    example=…)."""
    for checked in files:
        model.objects.create(
            **owner,
            file=checked.file,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
        )


def attachment_response(attachment: Attachment):
    """Send an attachment after the caller checked that the reader may have it."""
    return private_file_response(
        file=attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )
