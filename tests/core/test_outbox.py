"""E-mail leaves through the outbox and the task worker (core.mail), on the database task backend
as production runs it: the mail and its task commit with the change or not at all, the worker
(`manage.py db_worker`) sends each mail once, an SMTP error keeps it queued for a later attempt,
and no request talks to SMTP.

These tests commit for real (transactional_db) and run the worker's own command; SMTP errors come
from Django's SMTP backend talking to a port where nothing listens."""

import signal
import socket
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import connection as db_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.mail import (
    Mail,
    MailLater,
    enqueue_mails,
    enqueue_mails_later,
    outgoing_mail_requeue_stalled,
    outgoing_mail_retry,
)
from core.models import OutgoingMail, OutgoingMailStatus
from core.services import account_delete, account_export
from core.tasks import send_outgoing_mail
from tests.factories import CourseDateFactory, member
from training.models import Registration
from training.services.registration import registration_create

pytestmark = pytest.mark.django_db(transaction=True)


TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAIL_RETRY_BASE_SECONDS = 60
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_DIR]}
    ]


def closed_port() -> int:
    """A local port where nothing listens: connecting to it is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5


def mail_tasks():
    """The mail tasks among the worker's (Wagtail enqueues its own, such as its reference index)."""
    return DBTaskResult.objects.filter(task_path="core.tasks.send_outgoing_mail")


def run_worker(**options):
    """`manage.py db_worker --batch`: run what is due, then return. The worker installs its own
    signal handlers; the test run gets its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, verbosity=0, **options
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def register():
    course_date = CourseDateFactory()
    person = member(name="Fatma Fachkraft")
    return registration_create(course_date=course_date, participant=person, by=person)


def test_a_rolled_back_registration_queues_and_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        register()
        assert OutgoingMail.objects.count() == 1  # queued inside the transaction ...
        raise RuntimeError("the change fails after its mail was queued")
    # ... and gone with it: no mail, no task, nothing for the worker.
    assert not Registration.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert not mail_tasks().exists()
    run_worker()
    assert mail.outbox == []


def test_a_committed_registration_sends_one_mail_with_its_calendar_file_even_if_run_twice():
    registration = register()
    queued = OutgoingMail.objects.get()
    assert queued.status == OutgoingMailStatus.QUEUED
    task = mail_tasks().get()
    assert task.task_path == "core.tasks.send_outgoing_mail"
    assert task.args_kwargs == {"args": [queued.pk], "kwargs": {}}
    assert mail.outbox == []  # the request (here: the service) sent nothing itself

    run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [registration.participant.email]
    assert message.subject.startswith("[kinderstark]")
    assert [a.filename for a in message.attachments] == ["termin.ics"]
    assert "BEGIN:VCALENDAR" in str(message.attachments[0].content)
    assert "text/html" in [mimetype for _content, mimetype in message.alternatives]
    queued.refresh_from_db()
    assert queued.status == OutgoingMailStatus.SENT and queued.attempts == 1

    # The same task again (a retry after a lost acknowledgement, a second worker) sends nothing.
    send_outgoing_mail.enqueue(queued.pk)
    run_worker()
    assert send_outgoing_mail.call(queued.pk) == OutgoingMailStatus.SENT
    assert len(mail.outbox) == 1


def test_the_message_id_stays_the_same_across_attempts(smtp_down, settings):
    register()
    # The registration's mail is rendered by its first attempt (core.mail.MailLater) and kept,
    # under the Message-ID it was queued with.
    before = OutgoingMail.objects.get()
    assert before.builder and before.message["headers"]["Message-ID"]
    run_worker()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queued = OutgoingMail.objects.get()
    assert queued.attempts == 1 and not queued.builder
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    send_outgoing_mail.call(queued.pk)
    assert mail.outbox[0].extra_headers["Message-ID"] == queued.message["headers"]["Message-ID"]
    assert queued.message["headers"]["Message-ID"] == before.message["headers"]["Message-ID"]


def test_a_key_queues_a_mail_once():
    person = member()
    spec = Mail(
        template="tests_core/mail", to=[person.email], key=f"welcome:{person.pk}", context={}
    )
    with transaction.atomic():
        first = enqueue_mails([spec])
        second = enqueue_mails([spec])
    assert len(first) == 1 and second == []
    assert OutgoingMail.objects.count() == 1
    assert mail_tasks().count() == 1


def test_the_mails_of_one_write_go_out_in_one_task_a_fan_out_in_tasks_of_twenty():
    people = [member() for _ in range(45)]
    with transaction.atomic():
        enqueue_mails([Mail(template="tests_core/mail", to=[p.email]) for p in people])
    queued = list(OutgoingMail.objects.order_by("pk").values_list("pk", flat=True))
    tasks = [t.args_kwargs["args"] for t in mail_tasks().order_by("enqueued_at")]
    assert tasks == [queued[:20], queued[20:40], queued[40:]]

    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"sent"}
    assert set(mail_tasks().values_list("return_value", flat=True)) == {
        " ".join(["sent"] * 20),
        " ".join(["sent"] * 5),
    }


def broken_builder(**kwargs):
    """A MailLater builder whose query fails (as when its table is locked away or gone)."""
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")


def welcome_builder(*, to):
    return Mail(template="tests_core/mail", to=[to])


def test_a_mail_whose_query_fails_does_not_keep_the_others_of_its_task_back():
    first, second = member(), member()
    with transaction.atomic():
        enqueue_mails_later(
            [
                MailLater(builder="tests.core.test_outbox.broken_builder", to=[first.email]),
                MailLater(
                    builder="tests.core.test_outbox.welcome_builder",
                    to=[second.email],
                    kwargs={"to": second.email},
                ),
            ]
        )
    run_worker()
    # The second mail went out; the first stays queued, its attempt rolled back with the query.
    assert [m.to for m in mail.outbox] == [[second.email]]
    broken, sent = OutgoingMail.objects.order_by("pk")
    assert (broken.status, broken.attempts) == (OutgoingMailStatus.QUEUED, 0)
    assert sent.status == OutgoingMailStatus.SENT
    # The task shows as failed in the admin (the queued mail is enqueued again once stalled).
    assert mail_tasks().get().status == "FAILED"


def test_an_smtp_error_keeps_the_mail_queued_and_a_later_run_sends_it(smtp_down, settings):
    register()
    queued = OutgoingMail.objects.get()

    before = timezone.now()
    run_worker()
    queued.refresh_from_db()
    assert queued.status == OutgoingMailStatus.QUEUED
    assert queued.attempts == 1
    assert "ConnectionRefusedError" in queued.last_error
    # The next attempt is a task of its own, due after the backoff, not before.
    assert queued.next_attempt_at >= before + timedelta(seconds=60)
    assert not mail_tasks().ready().exists()  # not due yet
    later = mail_tasks().get(status="READY")
    assert later.run_after == queued.next_attempt_at
    assert mail.outbox == []

    # The server is back and the backoff has passed.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(pk=later.pk).update(run_after=timezone.now())
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    run_worker()
    queued.refresh_from_db()
    assert queued.status == OutgoingMailStatus.SENT and queued.attempts == 2
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_the_mail_fails_and_staff_send_it_again(smtp_down, settings):
    settings.MAIL_MAX_ATTEMPTS = 3
    settings.MAIL_RETRY_BASE_SECONDS = 0  # every retry due at once
    register()
    run_worker()
    queued = OutgoingMail.objects.get()
    assert queued.status == OutgoingMailStatus.FAILED and queued.attempts == 3
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outgoing_mail_retry(mails=OutgoingMail.objects.all()) == 1
    run_worker()
    queued.refresh_from_db()
    assert queued.status == OutgoingMailStatus.SENT
    assert len(mail.outbox) == 1


def test_the_admin_lists_failed_mails_and_sends_them_again(client, smtp_down, settings):
    from allauth.mfa.models import Authenticator

    from core.models import User

    admin = User.objects.create_superuser(email="admin@kinderstark.example")
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin)
    admin_client = client
    settings.MAIL_MAX_ATTEMPTS = 1
    register()
    run_worker()
    queued = OutgoingMail.objects.get(status=OutgoingMailStatus.FAILED)
    page = admin_client.get("/django-admin/core/outgoingmail/?status=failed")
    assert page.status_code == 200
    assert queued.subject in page.content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = admin_client.post(
        "/django-admin/core/outgoingmail/",
        {"action": "send_again", "_selected_action": [queued.pk]},
    )
    assert response.status_code == 302
    run_worker()
    assert len(mail.outbox) == 1
    # The task results are there too, and a failed task can be run again.
    send_outgoing_mail.enqueue("not-a-mail-id")
    run_worker()
    failed = mail_tasks().get(status="FAILED")
    url = "/django-admin/django_tasks_database/dbtaskresult/"
    assert "send_outgoing_mail" in admin_client.get(f"{url}?status=FAILED").content.decode()
    admin_client.post(url, {"action": "run_again", "_selected_action": [failed.pk]})
    again = mail_tasks().get(status="READY")
    assert again.args_kwargs == failed.args_kwargs


def test_a_lost_task_is_enqueued_again_and_the_mail_sent_once(settings):
    register()
    queued = OutgoingMail.objects.get()
    # A worker killed while sending: its task stays "running" for ever, the mail stays queued.
    mail_tasks().update(status="RUNNING")
    settings.MAIL_STALLED_SECONDS = 0
    call_command("requeue_mail", verbosity=0)
    run_worker()
    call_command("requeue_mail", verbosity=0)  # nothing overdue any more
    run_worker()
    queued.refresh_from_db()
    assert queued.status == OutgoingMailStatus.SENT
    assert len(mail.outbox) == 1


def test_no_request_talks_to_smtp(client, settings, smtp_down):
    """EMAIL_URL points at a port where nothing listens: sign-up and course registration answer
    as usual, and their mails wait in the outbox for the worker."""
    # As in production: Django's mail API writes to the outbox, the worker uses SMTP.
    settings.EMAIL_DELIVERY_BACKEND = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "core.mail.OutboxBackend"

    response = client.post(
        "/konto/signup/",
        {
            "name": "Erika Mustermann",
            "email": "erika@dortmund.example",
            "password1": "ein-gutes-passwort-42",
            "password2": "ein-gutes-passwort-42",
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 302
    confirmation = OutgoingMail.objects.get()
    assert confirmation.message["to"] == ["erika@dortmund.example"]

    course_date = CourseDateFactory()
    person = member(name="Fatma Fachkraft")
    client.force_login(person)
    response = client.post(reverse("training:register", args=[course_date.pk]), {"notes": ""})
    assert response.status_code == 302
    assert Registration.objects.filter(participant=person).exists()
    assert OutgoingMail.objects.count() == 2
    assert all(m.attempts == 0 for m in OutgoingMail.objects.all())

    run_worker()  # the worker meets the closed port, not the request
    assert {m.attempts for m in OutgoingMail.objects.all()} == {1}
    assert mail.outbox == []


def test_healthz_reports_a_task_waiting_too_long(client, settings):
    settings.TASKS_MAX_WAIT_SECONDS = 60
    assert client.get("/healthz").json()["tasks"] == "ok"
    register()
    body = client.get("/healthz").json()
    assert body["tasks"] == "ok" and body["tasks_oldest_wait"] <= 60

    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["tasks"] == "late"
    assert response.json()["failing"] == ["tasks"]
    assert response.json()["tasks_oldest_wait"] >= 300

    run_worker()
    assert client.get("/healthz").status_code == 200


def test_the_outbox_joins_download_my_data_and_account_deletion():
    registration = register()
    person = registration.participant
    other = member(name="Otto Anders")
    enqueue_mails(
        [Mail(template="tests_core/mail", to=[other.email], context={"name": person.name})]
    )
    exported = account_export(user=person)["core"]["emails"]
    assert [m["to"] for m in exported] == [[person.email]]

    account_delete(user=person)
    remaining = OutgoingMail.objects.get()
    assert remaining.message["to"] == [other.email]
    # The mail to someone else no longer names the deleted person.
    assert "Fatma Fachkraft" not in remaining.body + remaining.html
    run_worker()
    assert [m.to for m in mail.outbox] == [[other.email]]


def test_sent_mails_are_purged_after_the_retention_period(settings):
    settings.MAIL_RETENTION_DAYS = 30
    register()
    run_worker()
    register()
    OutgoingMail.objects.filter(pk=OutgoingMail.objects.order_by("pk").first().pk).update(
        sent_at=timezone.now() - timedelta(days=31)
    )
    call_command("purge_sent_mail", verbosity=0)
    # The old sent one is gone; the one still queued stays whatever its age.
    assert list(OutgoingMail.objects.values_list("status", flat=True)) == ["queued"]


@pytest.mark.parametrize(
    "path",
    ["/django-admin/core/outgoingmail/", "/django-admin/django_tasks_database/dbtaskresult/"],
)
def test_the_outbox_and_task_admin_need_staff_power(client, path):
    """The mails hold addresses and contents: a member never sees them, and staff only with
    their second factor (sent to set it up first)."""
    from tests.factories import StaffFactory

    register()
    client.force_login(member())
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/django-admin/login/")

    client.force_login(StaffFactory(second_factor=False, is_superuser=True))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"


class _AcceptThenLoseTheDatabase(locmem.EmailBackend):
    """The SMTP server takes the mail; in that moment PostgreSQL ends the worker's connection
    (pg_terminate_backend from a second connection, as an administrator or a restart would)."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        victim = db_connection.connection.info.backend_pid
        with psycopg.connect(**db_connection.get_connection_params()) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [victim])
        return sent


@pytest.mark.postgres
def test_a_mail_the_server_took_stays_sent_when_the_database_connection_dies(settings):
    register()
    settings.EMAIL_BACKEND = f"{__name__}._AcceptThenLoseTheDatabase"
    run_worker()
    assert len(mail.outbox) == 1
    queued = OutgoingMail.objects.get()
    assert queued.status == OutgoingMailStatus.SENT
    assert queued.subject.startswith("[kinderstark]")  # what the worker rendered is kept

    # Nothing is left for the stalled-mail timer or another worker to send again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outgoing_mail_requeue_stalled(grace=timedelta(0)) == 0
    send_outgoing_mail.enqueue(queued.pk)
    run_worker()
    assert len(mail.outbox) == 1
