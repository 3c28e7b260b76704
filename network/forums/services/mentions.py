"""The @handle others use to mention a person."""

import re

from django.db import IntegrityError, transaction

from core.models import User
from network.forums.exceptions import HandleInvalid, HandleTaken
from network.forums.models import MentionHandle

HANDLE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")


def mention_handle_set(*, user: User, handle: str) -> MentionHandle | None:
    """Each person picks the handle others write after @; empty removes it."""
    handle = (handle or "").strip().lstrip("@").lower()
    if not handle:
        MentionHandle.objects.filter(user=user).delete()
        return None
    if not HANDLE_RE.match(handle):
        raise HandleInvalid
    if MentionHandle.objects.filter(handle=handle).exclude(user=user).exists():
        raise HandleTaken
    try:
        with transaction.atomic():
            obj, _x = MentionHandle.objects.update_or_create(user=user, defaults={"handle": handle})
    except IntegrityError as error:
        raise HandleTaken from error
    return obj
