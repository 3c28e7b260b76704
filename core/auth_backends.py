"""The authentication backends: Django's and allauth's, except that the user of each request
(session or WebSocket) is loaded in one query together with what nearly every page asks about
them: whether they are Landesjugendamt staff (core), their membership (network), their unread
notifications (forums). Each app adds its part to the query through settings.REQUEST_USER_QUERYSET
(core imports no app), and its selectors read what the query brought before asking the database
themselves. Without this, every page ran one query per question on top of loading the user.
"""

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from core.models import User
from core.selectors import users_with_staff_flags


@cache
def request_user_queryset() -> QuerySet[User]:
    """Built once per process: building it (the subqueries, the filtered join) cost more than
    the four plain queries it replaces. Never evaluated itself; each get() works on a copy."""
    queryset = users_with_staff_flags(User._default_manager.all())
    for path in settings.REQUEST_USER_QUERYSET:
        queryset = import_string(path)(queryset)
    return queryset


class RequestUserMixin:
    def get_user(self, user_id):
        try:
            user = request_user_queryset().get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(RequestUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(RequestUserMixin, AllauthBackend):
    pass
