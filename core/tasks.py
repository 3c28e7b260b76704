"""Background tasks of core, run by the worker (`manage.py db_worker`)."""

from django_tasks import task


@task()
def send_outgoing_mail(mail_id: int) -> str:
    """Send one mail of the outbox; safe to run any number of times (core.mail)."""
    from core.mail import outgoing_mail_send

    return outgoing_mail_send(mail_id=mail_id)
