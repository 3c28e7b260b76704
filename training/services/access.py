"""The check every back-office write asks before it changes a course date's registrations,
attendance or certificates (the rule itself is training.selectors.user_administered_providers)."""

from core.models import User
from core.selectors import user_has_staff_power
from training import exceptions
from training.models import CourseDate
from training.selectors import user_may_administer_course_date


def check_may_administer(*, course_date: CourseDate, by: User) -> None:
    """Refuse whoever has no staff power (NotAllowed), and staff of the other Landesjugendamt
    who were not granted its dates (OtherProvidersDate)."""
    if not user_has_staff_power(user=by):
        raise exceptions.NotAllowed
    if not user_may_administer_course_date(user=by, course_date=course_date):
        raise exceptions.OtherProvidersDate
