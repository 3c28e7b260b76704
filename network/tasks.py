"""Background tasks of network, run by the worker (`manage.py db_worker`)."""

from django.db import transaction
from django_tasks import task


@task()
def announce_post(post_id: int) -> int:
    """The notifications (and their e-mails) of a newly visible post; safe to run again."""
    from network.services.notifications import post_notifications_create

    with transaction.atomic():
        return len(post_notifications_create(post_id=post_id))
