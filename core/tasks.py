"""Background tasks of core, run by the worker (`manage.py db_worker`)."""

from django_tasks import task


@task()
def send_outgoing_mail(*mail_ids: int) -> str:
    """Send the mails of the outbox that one write queued (one task, and one row in the task
    table, for a cancellation's mail and its promoted people's); each is sent on its own and at
    most once, so running this any number of times is safe (core.mail). Returns each mail's
    outcome, in order."""
    from core.mail import outgoing_mails_send

    return " ".join(outgoing_mails_send(mail_ids=mail_ids))
