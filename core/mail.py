"""The one way the platform sends e-mail: German (or the recipient's language) plain text + HTML,
rendered from templates and put in the outbox (core.models.OutgoingMail) in the transaction of the
change that causes it. A task run by the worker (`manage.py db_worker`) sends it.

- A rolled-back write leaves no mail and no task behind; a committed one leaves both.
- The task locks the mail's row and sends it only while it is queued, so a task that runs twice
  (a retry, a second worker, an admin's "send again") sends it once.
- An SMTP error counts an attempt and enqueues the task again later (exponential backoff); after
  MAIL_MAX_ATTEMPTS the mail is failed and staff see it in the admin, where they can send it again.
- A write that holds a lock queues a MailLater instead: the row names a builder and its ids, and
  the worker renders the templates on the first attempt and keeps the result (same rules).
- No request talks to SMTP: Django's mail API (allauth's and Wagtail's mails too) writes to the
  outbox through OutboxBackend, and only the worker uses the backend EMAIL_URL names.
"""

import base64
import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from email.mime.base import MIMEBase
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from core.models import OutgoingMail, OutgoingMailStatus

logger = logging.getLogger(__name__)

OUTBOX_BACKEND = "core.mail.OutboxBackend"


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
    # Idempotency: a second mail with the same key is not queued again. Empty: a fresh key.
    key: str = ""


@dataclass
class MailLater:
    """A mail the worker renders: `builder`, the dotted path of a function taking `kwargs` (ids
    and plain values, stored as JSON) and returning its Mail, or None when what it is about is
    gone. For writes that hold a lock: queueing it renders no template and reads nothing."""

    builder: str
    to: list[str]
    kwargs: dict = field(default_factory=dict)
    key: str = ""


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


def enqueue_mails(mails: Iterable[Mail], *, language: str | None = None) -> list[OutgoingMail]:
    """Render the mails now and queue them in the current transaction: they go out once it
    commits, and never when it rolls back. Returns the outbox rows queued (not those whose key
    was queued before)."""
    return outbox_add((render_mail(mail, language=language), mail.key) for mail in mails)


def enqueue_mails_later(mails: Iterable[MailLater]) -> list[OutgoingMail]:
    """Queue mails that the worker renders before it sends them, in the current transaction,
    like enqueue_mails(): a rolled-back write leaves none, a committed one sends each once."""
    return _outbox_add(
        (
            {
                "recipients": "," + ",".join(a.strip().lower() for a in mail.to) + ",",
                "subject": "",
                "body": "",
                # Its Message-ID from the start, as a rendered mail has (the outbox's id).
                "message": {"to": list(mail.to), "headers": {"Message-ID": _message_id()}},
                "builder": mail.builder,
                "builder_kwargs": mail.kwargs,
            },
            mail.key,
        )
        for mail in mails
    )


def outbox_add(messages: Iterable[tuple[EmailMessage, str]]) -> list[OutgoingMail]:
    """Store each (message, key) in the outbox and enqueue its sending task, both in the current
    transaction. A key already in the outbox is skipped."""
    return _outbox_add((_stored(message), key) for message, key in messages)


def _outbox_add(stored: Iterable[tuple[dict, str]]) -> list[OutgoingMail]:
    rows = []
    for fields, key in stored:
        if key:
            row, created = OutgoingMail.objects.get_or_create(key=key, defaults=fields)
            if created:
                rows.append(row)
        else:
            rows.append(OutgoingMail(key=uuid.uuid4().hex, **fields))
    fresh = [row for row in rows if row.pk is None]
    if fresh:
        OutgoingMail.objects.bulk_create(fresh)
        if any(row.pk is None for row in fresh):  # a database that returns no ids
            keys = {row.key: row for row in fresh}
            for pk, key in OutgoingMail.objects.filter(key__in=keys).values_list("pk", "key"):
                keys[key].pk = pk
    _enqueue([row.pk for row in rows])
    return rows


class OutboxBackend(BaseEmailBackend):
    """EMAIL_BACKEND: whatever uses Django's mail API queues its message in the outbox."""

    def send_messages(self, email_messages) -> int:
        messages = list(email_messages or [])
        outbox_add((message, "") for message in messages)
        return len(messages)


# A fan-out of many mails is shared out among the task workers in tasks of at most this many.
MAILS_PER_TASK = 20


def _enqueue(mail_ids: list[int], *, run_after=None) -> None:
    """Enqueue the sending task for the mails: one task for the mails of one write (up to
    MAILS_PER_TASK). The database backend writes the task's row in the current transaction, so
    mail and task commit together. Any other backend (the immediate one
    in tests) is handed the task once the transaction commits; should that task be lost, the
    queued row is still there and requeue_mail enqueues it again."""
    from django_tasks_db import DatabaseBackend

    from core.tasks import send_outgoing_mail

    if not mail_ids:
        return
    task = send_outgoing_mail
    backend = task.get_backend()
    if run_after is not None:
        if not backend.supports_defer:
            return  # requeue_mail picks it up once it is due
        task = task.using(run_after=run_after)

    def enqueue() -> None:
        for start in range(0, len(mail_ids), MAILS_PER_TASK):
            task.enqueue(*mail_ids[start : start + MAILS_PER_TASK])

    if isinstance(backend, DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)


def delivery_backend() -> str:
    """The backend that really sends: EMAIL_DELIVERY_BACKEND when EMAIL_BACKEND is the outbox
    (always, except in tests, where Django's test runner puts its locmem backend there)."""
    if settings.EMAIL_BACKEND == OUTBOX_BACKEND:
        return settings.EMAIL_DELIVERY_BACKEND
    return settings.EMAIL_BACKEND


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: base, 2×base, 4×base … at most an hour."""
    seconds = settings.MAIL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 3600))


def outgoing_mails_send(*, mail_ids: Iterable[int]) -> list[str]:
    """outgoing_mail_send() for each mail, in order: one mail's database error (a connection
    terminated while it was sent) does not keep the others from going out, on a new connection;
    the first such error is raised at the end, so the task shows as failed in the admin (a mail
    it could not send stays queued, and outgoing_mail_requeue_stalled() enqueues it again)."""
    outcomes, error = [], None
    for mail_id in mail_ids:
        try:
            outcomes.append(outgoing_mail_send(mail_id=mail_id))
        except DatabaseError as exc:
            error = error or exc
            outcomes.append("error")
            if not db_connection.in_atomic_block:  # the worker's own connection: a new one
                db_connection.close_if_unusable_or_obsolete()
    if error is not None:
        raise error
    return outcomes


def outgoing_mail_send(*, mail_id: int) -> str:
    """Send one queued mail, at most once: the row is locked while it is sent, and a mail that is
    no longer queued (sent, failed, erased) or not yet due (another task waits for it) is left
    alone. An error counts an attempt and schedules the next one, or fails the mail after
    MAIL_MAX_ATTEMPTS. Returns what became of it.

    If the database connection is lost after the SMTP server took the mail (a restart, an
    administrator's pg_terminate_backend), the transaction that would mark it sent is gone with
    it: the mail is then marked sent on a new connection at once, before MAIL_STALLED_SECONDS
    could queue it again, so it is not sent twice."""
    delivered: list[OutgoingMail] = []
    try:
        return _send_locked(mail_id, delivered)
    except DatabaseError:
        if not delivered:
            raise
        return _mark_delivered(delivered[0])


def _send_locked(mail_id: int, delivered: list) -> str:
    now = timezone.now()
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None:
            return "gone"
        if mail.status != OutgoingMailStatus.QUEUED:
            return mail.status
        if mail.next_attempt_at > now:
            return "not due"
        mail.attempts += 1
        try:
            if mail.builder and not _render_built(mail):
                mail.delete()
                return "gone"
            with get_connection(delivery_backend()) as connection:
                connection.send_messages([_message(mail)])
            delivered.append(mail)
        except DatabaseError:
            raise  # the builder's queries: nothing was sent
        except Exception as exc:  # SMTP, DNS, TLS: every error of the delivery backend
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
                mail.status = OutgoingMailStatus.FAILED
                logger.error("mail %s failed for good: %s", mail.pk, mail.last_error)
            else:
                mail.next_attempt_at = now + retry_delay(mail.attempts)
                _enqueue([mail.pk], run_after=mail.next_attempt_at)
                logger.warning("mail %s not sent, next try later: %s", mail.pk, mail.last_error)
        else:
            mail.status = OutgoingMailStatus.SENT
            mail.sent_at = timezone.now()
            mail.last_error = ""
        mail.save(
            update_fields=[
                "status", "attempts", "last_error", "next_attempt_at", "sent_at",
                *RENDERED_FIELDS,
            ]
        )  # fmt: skip
        return mail.status


RENDERED_FIELDS = ("recipients", "subject", "body", "html", "message", "builder", "builder_kwargs")
MARK_DELIVERED_ATTEMPTS = 10


def _mark_delivered(mail: OutgoingMail) -> str:
    """Record as sent a mail the SMTP server took while the database connection died: on a new
    connection, retried while the database comes back (10 × 0.5 s)."""
    for attempt in range(MARK_DELIVERED_ATTEMPTS):
        db_connection.close()
        try:
            OutgoingMail.objects.filter(pk=mail.pk, status=OutgoingMailStatus.QUEUED).update(
                status=OutgoingMailStatus.SENT,
                sent_at=timezone.now(),
                attempts=mail.attempts,
                last_error="",
                **{name: getattr(mail, name) for name in RENDERED_FIELDS},
            )
        except DatabaseError:
            if attempt + 1 == MARK_DELIVERED_ATTEMPTS:
                raise
            time.sleep(0.5)
        else:
            logger.warning(
                "mail %s sent; marked sent after the database connection was lost", mail.pk
            )
            return OutgoingMailStatus.SENT
    raise AssertionError("unreachable")


def _render_built(mail: OutgoingMail) -> bool:
    """Render a MailLater's message into its row (the row's lock held), once: a retry sends what
    the first attempt rendered. False when its builder finds nothing to write about."""
    built = import_string(mail.builder)(**mail.builder_kwargs)
    if built is None:
        return False
    queued_id = mail.message.get("headers", {}).get("Message-ID")
    for name, value in _stored(render_mail(built)).items():
        setattr(mail, name, value)
    if queued_id:
        mail.message["headers"]["Message-ID"] = queued_id
    mail.builder, mail.builder_kwargs = "", {}
    return True


def outgoing_mail_retry(*, mails: Iterable[OutgoingMail]) -> int:
    """Queue failed (or stuck) mails again, as staff ask in the admin: a fresh set of attempts,
    due now. Sent mails stay sent. Returns how many were queued."""
    ids = []
    with transaction.atomic():
        for mail in mails:
            if mail.status == OutgoingMailStatus.SENT:
                continue
            ids.append(mail.pk)
        OutgoingMail.objects.filter(pk__in=ids).exclude(status=OutgoingMailStatus.SENT).update(
            status=OutgoingMailStatus.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        _enqueue(ids)
    return len(ids)


def outgoing_mail_requeue_stalled(*, grace: timedelta | None = None) -> int:
    """Enqueue again the queued mails whose task was lost: due for longer than `grace`
    (MAIL_STALLED_SECONDS), as when a worker was killed while sending. A task that still exists
    finds the mail sent or not due and does nothing, so this never sends twice."""
    grace = grace if grace is not None else timedelta(seconds=settings.MAIL_STALLED_SECONDS)
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(status=OutgoingMailStatus.QUEUED, next_attempt_at__lte=now - grace)
            .values_list("pk", flat=True)
        )
        OutgoingMail.objects.filter(pk__in=ids).update(next_attempt_at=now)
        _enqueue(ids)
    return len(ids)


def outgoing_mail_purge(*, older_than: timedelta | None = None) -> int:
    """Delete sent mails older than MAIL_RETENTION_DAYS (the privacy notice promises it)."""
    older_than = older_than or timedelta(days=settings.MAIL_RETENTION_DAYS)
    deleted, _ = OutgoingMail.objects.filter(
        status=OutgoingMailStatus.SENT, sent_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


def recipients_key(address: str) -> str:
    """How one address stands in OutgoingMail.recipients."""
    return f",{address.strip().lower()},"


# --- storing a message and building it again -----------------------------------------------------


def _message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or None
    return make_msgid(domain=domain)


def _stored(message: EmailMessage) -> dict:
    html = ""
    alternatives = []
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html" and not html:
            html = content
        else:
            alternatives.append([content, mimetype])
    headers = dict(message.extra_headers)
    if not any(name.lower() == "message-id" for name in headers):
        # Fixed now, so every attempt sends the same id and a receiver can drop a duplicate.
        headers["Message-ID"] = _message_id()
    everyone = [*message.to, *message.cc, *message.bcc]
    return {
        "recipients": "," + ",".join(a.strip().lower() for a in everyone) + ",",
        "subject": str(message.subject)[:998],
        "body": str(message.body),
        "html": html,
        "message": {
            "from_email": message.from_email,
            "to": list(message.to),
            "cc": list(message.cc),
            "bcc": list(message.bcc),
            "reply_to": list(message.reply_to),
            "headers": headers,
            "content_subtype": message.content_subtype,
            "alternatives": alternatives,
            "attachments": [_stored_attachment(a) for a in message.attachments],
        },
    }


def _stored_attachment(attachment) -> dict:
    if isinstance(attachment, MIMEBase):
        filename = attachment.get_filename() or "attachment"
        content = attachment.get_payload(decode=True) or b""
        mimetype = attachment.get_content_type()
    else:
        filename, content, mimetype = attachment
    if isinstance(content, str):
        return {"filename": filename, "text": content, "mimetype": mimetype}
    return {
        "filename": filename,
        "base64": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype,
    }


def _message(mail: OutgoingMail) -> EmailMultiAlternatives:
    spec = mail.message
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=spec.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        to=spec.get("to", []),
        cc=spec.get("cc", []),
        bcc=spec.get("bcc", []),
        reply_to=spec.get("reply_to", []),
        headers=spec.get("headers", {}),
    )
    message.content_subtype = spec.get("content_subtype", "plain")
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    for content, mimetype in spec.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    for attachment in spec.get("attachments", []):
        if "text" in attachment:
            message.attach(attachment["filename"], attachment["text"], attachment["mimetype"])
        else:
            content = base64.b64decode(attachment["base64"])
            message.attach(attachment["filename"], content, attachment["mimetype"])
    return message
