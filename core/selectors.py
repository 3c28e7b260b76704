from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import Exists, OuterRef, Q, QuerySet

from core.models import User


def user_is_landesjugendamt_staff(*, user: User | AnonymousUser) -> bool:
    """Landesjugendamt staff are the members of one group; nobody joins it by signing up.

    This says who someone IS (the header's link, where to send them, whom the second-factor
    set-up asks for). Whether they may USE a staff power is user_has_staff_power."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_lja_staff", None)
    if cached is None:
        cached = Group.objects.filter(user=user, name=settings.STAFF_GROUP_NAME).exists()
        user._is_lja_staff = cached
    return cached


def users_with_staff_flags(queryset: QuerySet[User]) -> QuerySet[User]:
    """The users with what user_is_landesjugendamt_staff and user_has_staff_power ask, in the
    same query (core.auth_backends loads each request's user so)."""
    from allauth.mfa.models import Authenticator

    return queryset.annotate(
        _is_lja_staff=Exists(
            Group.objects.filter(user=OuterRef("pk"), name=settings.STAFF_GROUP_NAME)
        ),
        # Read by user_has_staff_power only once the user is known to be staff.
        _has_staff_power=Exists(
            Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        ),
    )


def user_has_staff_power(*, user: User | AnonymousUser) -> bool:
    """The one rule every staff power asks (moderation, review, course administration, the
    admins, the board): Landesjugendamt staff who have set up their second factor. Staff without
    one are treated like any other member until they set it up; since allauth asks an account
    with an authenticator for it at every login, having one means the session passed it."""
    if not user_is_landesjugendamt_staff(user=user):
        return False
    cached = getattr(user, "_has_staff_power", None)
    if cached is None:
        cached = user_has_mfa(user=user)
        user._has_staff_power = cached
    return cached


def staff_power_q(*, prefix: str = "") -> Q:
    """user_has_staff_power as a filter on User (`prefix` leads from the queried model to the
    user, e.g. "user__"), for choosing the recipients of something only staff may read."""
    from allauth.mfa.models import Authenticator

    p = prefix
    staff = Q(**{f"{p}is_superuser": True}) | Q(**{f"{p}groups__name": settings.STAFF_GROUP_NAME})
    second_factor = Exists(
        Authenticator.objects.filter(user=OuterRef(f"{p}pk"), type=Authenticator.Type.TOTP)
    )
    return Q(**{f"{p}is_active": True}) & staff & Q(second_factor)


def user_needs_second_factor(*, user: User | AnonymousUser) -> bool:
    """Staff (by group or by Django's is_staff flag) who have not yet set up a second factor:
    every staff function sends them to set it up."""
    if not user.is_authenticated:
        return False
    is_staff = user.is_staff or user_is_landesjugendamt_staff(user=user)
    return is_staff and not user_has_mfa(user=user)


def user_has_mfa(*, user: User) -> bool:
    """Whether the user has set up a TOTP authenticator (recovery codes alone do not count)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def oldest_task_wait() -> float | None:
    """Seconds the oldest task that is due has waited for a worker (0.0 when none waits); None
    when the task backend keeps no queue of its own (the immediate backend of the tests)."""
    from django.db.models import Min
    from django.utils import timezone
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        return None
    now = timezone.now()
    ready = DBTaskResult.objects.ready().filter(backend_name=backend.alias)
    # A task without run_after waits since it was enqueued; a deferred one since it fell due.
    waiting_since = [
        ready.filter(run_after=get_date_max()).aggregate(at=Min("enqueued_at"))["at"],
        ready.exclude(run_after=get_date_max()).aggregate(at=Min("run_after"))["at"],
    ]
    waiting_since = [at for at in waiting_since if at is not None]
    if not waiting_since:
        return 0.0
    return max((now - min(waiting_since)).total_seconds(), 0.0)
