"""The one way the platform sends e-mail: German (or the recipient's language) plain text + HTML,
rendered from templates, sent after the surrounding transaction commits.

A rolled-back write therefore never sends a message.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


@dataclass
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str


@dataclass
class Mail:
    template: str  # e.g. "training/mail/registered": .subject.txt, .txt and .html beside it
    to: list[str]
    context: dict = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)


def render_mail(mail: Mail, *, language: str | None = None) -> EmailMultiAlternatives:
    context = {"SITE_URL": settings.SITE_URL, **mail.context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{mail.template}.subject.txt", context).strip()
        subject = " ".join(subject.split())
        text = render_to_string(f"{mail.template}.txt", context)
        html = render_to_string(f"{mail.template}.html", context)
    message = EmailMultiAlternatives(
        subject=f"[kinderstark] {subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=mail.to,
    )
    message.attach_alternative(html, "text/html")
    for attachment in mail.attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_after_commit(mails: Iterable[Mail], *, language: str | None = None) -> None:
    """Queue the mails to go out once the current transaction commits (at once outside one)."""
    mails = list(mails)
    if not mails:
        return

    def send() -> None:
        for mail in mails:
            render_mail(mail, language=language).send()

    transaction.on_commit(send)
