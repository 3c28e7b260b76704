"""iCalendar files: one date (mail attachment, download) and a user's private feed."""

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from training.models import CourseDate

# The courses take place in North Rhine-Westphalia: a file states their local time with its zone
# (DTSTART;TZID=Europe/Berlin:...T090000 and the zone's definition), as the date page and the
# mails do, instead of the UTC instant (...T080000Z).
COURSE_TIME_ZONE = ZoneInfo("Europe/Berlin")


@lru_cache(maxsize=16)
def _course_time_zone(first_year: int, last_year: int) -> Timezone:
    """The zone's VTIMEZONE with its transitions from the first year of the file's dates to the
    end of the last (RFC 5545 asks for those covering the times it states), built once per
    process and span. With those of 1970-2038 a one-date file was 2.5 times the size (3.2 KB)
    and took twice as long to write, for every registration's mail."""
    return Timezone.from_tzinfo(
        COURSE_TIME_ZONE,
        tzid="Europe/Berlin",
        first_date=date(first_year, 1, 1),
        last_date=date(last_year + 1, 1, 1),
    )


def _calendar(name: str, course_dates: list[CourseDate]) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//kinderstark Lernnetzwerk//Fortbildung//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    years = [
        timezone.localtime(moment, COURSE_TIME_ZONE).year
        for course_date in course_dates
        for moment in (course_date.start, course_date.end)
    ] or [timezone.localdate().year]
    calendar.add_component(_course_time_zone(min(years), max(years)))
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
    calendar = _calendar(course_date.course.title, [course_date])
    calendar.add("method", "PUBLISH")
    calendar.add_component(_event(course_date, with_online_url=with_online_url))
    return calendar.to_ical()


def feed_ical(*, course_dates: Iterable[CourseDate]) -> bytes:
    """The private feed: the user holds a seat on each of these dates, so links are included."""
    course_dates = list(course_dates)
    calendar = _calendar("kinderstark Fortbildung", course_dates)
    for course_date in course_dates:
        calendar.add_component(_event(course_date, with_online_url=True))
    return calendar.to_ical()
