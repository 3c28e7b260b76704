"""iCalendar files: one date (mail attachment, download) and a user's private feed."""

from collections.abc import Iterable
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from training.models import CourseDate

# The courses take place in North Rhine-Westphalia: a file states their local time with its zone
# (DTSTART;TZID=Europe/Berlin:...T090000 and the zone's definition), as the date page and the
# mails do, instead of the UTC instant (...T080000Z).
COURSE_TIME_ZONE = ZoneInfo("Europe/Berlin")


@cache
def _course_time_zone() -> Timezone:
    """The zone's VTIMEZONE (its transitions 1970-2038), built once per process: icalendar takes
    about 35 ms to build it, which every registration's mail paid inside the seat's transaction."""
    return Timezone.from_tzinfo(COURSE_TIME_ZONE, tzid="Europe/Berlin")


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//kinderstark Lernnetzwerk//Fortbildung//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add_component(_course_time_zone())
    return calendar


def _event(course_date: CourseDate, *, with_online_url: bool) -> Event:
    event = Event()
    event.add("uid", f"course-date-{course_date.pk}@kinderstark-lernnetzwerk")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", course_date.start.astimezone(COURSE_TIME_ZONE))
    event.add("dtend", course_date.end.astimezone(COURSE_TIME_ZONE))
    event.add("summary", course_date.course.title)
    location = course_date.venue_one_line
    if location:
        event.add("location", location)
    description = [course_date.course.summary]
    if with_online_url and course_date.online_url:
        description.append(f"Online: {course_date.online_url}")
    description.append(f"{settings.SITE_URL}{course_date.get_absolute_url()}")
    event.add("description", "\n\n".join(part for part in description if part))
    event.add("url", f"{settings.SITE_URL}{course_date.get_absolute_url()}")
    event.add("status", "CANCELLED" if course_date.is_cancelled else "CONFIRMED")
    return event


def course_date_ical(*, course_date: CourseDate, with_online_url: bool) -> bytes:
    calendar = _calendar(course_date.course.title)
    calendar.add("method", "PUBLISH")
    calendar.add_component(_event(course_date, with_online_url=with_online_url))
    return calendar.to_ical()


def feed_ical(*, course_dates: Iterable[CourseDate]) -> bytes:
    """The private feed: the user holds a seat on each of these dates, so links are included."""
    calendar = _calendar("kinderstark Fortbildung")
    for course_date in course_dates:
        calendar.add_component(_event(course_date, with_online_url=True))
    return calendar.to_ical()
