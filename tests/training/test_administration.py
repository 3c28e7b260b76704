"""The course administration's start page, its links to the participant page and the Wagtail
edit screen, and the rule that staff edit only their own Landesjugendamt's dates."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from tests.factories import CourseDateFactory, CourseFactory, StaffFactory, UserFactory, member
from training.models import CourseDate, Registration, RegistrationStatus, Trainer
from training.services.lifecycle import course_date_close

pytestmark = pytest.mark.django_db

HOME = "/fortbildung/verwaltung/"


def _past(course=None, days=3, **fields) -> CourseDate:
    start = timezone.now() - timedelta(days=days)
    if course is not None:
        fields["course"] = course
    return CourseDateFactory(start=start, end=start + timedelta(hours=3), **fields)


def _seat(course_date, status=RegistrationStatus.CONFIRMED, **fields) -> Registration:
    person = member()
    return Registration.objects.create(
        course_date=course_date,
        participant=person,
        municipality=person.memberships.get().municipality,
        status=status,
        **fields,
    )


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)


@pytest.fixture
def lvr_course():
    return CourseFactory(provider="LVR", title="Frühe Hilfen im Rheinland", format="online")


@pytest.fixture
def lwl_course():
    return CourseFactory(provider="LWL", title="Präventionsketten in Westfalen")


# --- who sees what -------------------------------------------------------------------------------


def test_staff_see_their_own_landesjugendamts_upcoming_dates_by_default(
    staff_client, lvr_course, lwl_course
):
    CourseDateFactory(course=lvr_course)
    CourseDateFactory(course=lwl_course)
    rows = "".join(_rows(staff_client.get(HOME).content.decode()))
    assert "Frühe Hilfen im Rheinland" in rows
    assert "Präventionsketten in Westfalen" not in rows


def test_the_provider_filter_shows_the_other_or_both(staff_client, lvr_course, lwl_course):
    CourseDateFactory(course=lvr_course)
    CourseDateFactory(course=lwl_course)
    rows = "".join(_rows(staff_client.get(HOME, {"provider": "LWL"}).content.decode()))
    assert "Präventionsketten in Westfalen" in rows
    assert "Frühe Hilfen im Rheinland" not in rows
    both = "".join(_rows(staff_client.get(HOME, {"provider": "all"}).content.decode()))
    assert "Präventionsketten in Westfalen" in both and "Frühe Hilfen im Rheinland" in both


def test_module_format_status_period_and_year_filter(staff_client, lvr_course):
    other = CourseFactory(provider="LVR", title="Kita als Ort der Prävention", format="in_person")
    upcoming = CourseDateFactory(course=lvr_course)
    past_held = _past(other)
    closed = _past(lvr_course, days=400)
    course_date_close(course_date=closed, by=None)

    def titles(**params):
        return [
            row for row in _rows(staff_client.get(HOME, params).content.decode()) if "<th" in row
        ]

    assert len(titles(period="upcoming")) == 1
    assert len(titles(period="past")) == 2
    assert len(titles(period="all")) == 3
    assert len(titles(period="all", course=lvr_course.pk)) == 2
    assert len(titles(period="all", format="in_person")) == 1
    held_rows = titles(period="all", status="held")
    assert len(held_rows) == 1 and "Kita als Ort der Prävention" in held_rows[0]
    assert len(titles(period="all", status="closed")) == 1
    assert len(titles(period="all", year=timezone.localtime(closed.start).year)) >= 1
    assert upcoming.pk and past_held.pk


def test_bad_filter_values_get_a_german_message_and_the_default_list(staff_client, lvr_course):
    CourseDateFactory(course=lvr_course)
    response = staff_client.get(HOME, {"status": "verschwunden", "course": "abc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Einige Filter konnten nicht angewendet werden" in html
    assert "Frühe Hilfen im Rheinland" in html


def test_a_row_shows_status_fill_rate_waiting_list_and_links_to_the_participant_page(
    staff_client, lvr_course
):
    course_date = CourseDateFactory(course=lvr_course, capacity=4)
    for _ in range(3):
        _seat(course_date)
    _seat(course_date, status=RegistrationStatus.WAITING)
    html = staff_client.get(HOME).content.decode()
    (row,) = _rows(html)
    assert "geplant" in row
    assert "3 von 4 (75 %)" in row
    assert "<td>1</td>" in row
    assert reverse("training:staff_participants", args=[course_date.pk]) in row


def test_open_tasks_appear_when_their_condition_holds(staff_client, lvr_course):
    planned = CourseDateFactory(course=lvr_course)
    held = _past(lvr_course, days=2)
    closed = _past(lvr_course, days=5)
    _seat(closed, status=RegistrationStatus.ATTENDED)  # attended, no certificate issued yet
    course_date_close(course_date=closed, by=None)
    html = staff_client.get(HOME, {"period": "all"}).content.decode()
    rows = {
        pk: row
        for row in _rows(html)
        for pk in [planned.pk, held.pk, closed.pk]
        if f"/termine/{pk}/teilnehmende/" in row
    }
    assert "data-task" not in rows[planned.pk]
    assert "Anwesenheit erfassen" in rows[held.pk]
    assert "Bescheinigungen ausstellen" not in rows[held.pk]
    assert "Anwesenheit erfassen" not in rows[closed.pk]
    assert "Bescheinigungen ausstellen" in rows[closed.pk]
    assert "Evaluation auswerten" in rows[closed.pk]


def test_pagination(staff_client, lvr_course):
    start = timezone.now() + timedelta(days=1)
    CourseDate.objects.bulk_create(
        [
            CourseDate(
                course=lvr_course,
                start=start + timedelta(days=i),
                end=start + timedelta(days=i, hours=2),
                capacity=5,
            )
            for i in range(30)
        ]
    )
    first = staff_client.get(HOME).content.decode()
    assert len(_rows(first)) == 25
    assert "Seite 1 von 2" in first
    second = staff_client.get(HOME, {"page": 2}).content.decode()
    assert len(_rows(second)) == 5


def test_the_query_count_does_not_grow_with_dates_and_registrations(
    staff_client, lvr_course, django_assert_max_num_queries
):
    def fill(n):
        for i in range(n):
            course_date = (
                _past(lvr_course, days=2 + i) if i % 2 else CourseDateFactory(course=lvr_course)
            )
            _seat(course_date)
            _seat(course_date, status=RegistrationStatus.ATTENDED)

    fill(2)
    staff_client.get(HOME, {"period": "all"})  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        staff_client.get(HOME, {"period": "all"})
    fill(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(HOME, {"period": "all"})
    assert len(_rows(response.content.decode())) == 14
    assert len(few.captured_queries) <= 12, [q["sql"][:120] for q in few.captured_queries]


# --- ways in ------------------------------------------------------------------------------------


def test_the_header_links_staff_to_the_start_page_and_members_not(client, lja):
    client.force_login(lja)
    assert f'href="{HOME}"' in client.get("/fortbildung/").content.decode()
    client.force_login(member())
    assert f'href="{HOME}"' not in client.get("/fortbildung/").content.decode()


def test_the_wagtail_menu_has_the_start_page(staff_client):
    html = staff_client.get("/admin/").content.decode()
    assert HOME in html


def test_the_edit_screen_links_to_the_participant_page_and_back(staff_client, lvr_course):
    course_date = CourseDateFactory(course=lvr_course)
    edit = reverse("course_dates:edit", args=[course_date.pk])
    participants = reverse("training:staff_participants", args=[course_date.pk])
    assert participants in staff_client.get(edit).content.decode()
    assert edit in staff_client.get(participants).content.decode()


# --- editing the other Landesjugendamt's dates --------------------------------------------------


def _form_data(course_date) -> dict:
    local = timezone.localtime
    return {
        "course": course_date.course_id,
        "start": local(course_date.start).strftime("%Y-%m-%d %H:%M"),
        "end": local(course_date.end).strftime("%Y-%m-%d %H:%M"),
        "venue_name": "Anderer Ort",
        "venue_address": course_date.venue_address,
        "online_url": "",
        "capacity": "7",
        "max_per_municipality": "",
        "registration_opens": "",
        "registration_closes": "",
        "cancellation_deadline": "",
        "information": "",
    }


def test_lwl_staff_cannot_edit_an_lvr_date(client, lvr_course):
    lwl = StaffFactory(landesjugendamt="LWL")
    course_date = CourseDateFactory(course=lvr_course, capacity=5)
    client.force_login(lwl)
    edit = reverse("course_dates:edit", args=[course_date.pk])
    response = client.get(edit, follow=True)
    # Wagtail's refusal: back to the admin's start page, with its message.
    assert response.redirect_chain == [("/admin/", 302)]
    assert "keinen Zugang zu diesem Bereich" in response.content.decode()
    client.post(edit, _form_data(course_date))
    course_date.refresh_from_db()
    assert course_date.capacity == 5 and course_date.venue_name != "Anderer Ort"
    participants = reverse("training:staff_participants", args=[course_date.pk])
    assert edit not in client.get(participants).content.decode()


def test_lwl_staff_edit_an_lvr_date_once_granted(client, lvr_course):
    lwl = StaffFactory(landesjugendamt="LWL")
    lwl.user_permissions.add(Permission.objects.get(codename="edit_other_provider_dates"))
    course_date = CourseDateFactory(course=lvr_course, capacity=5)
    client.force_login(lwl)
    edit = reverse("course_dates:edit", args=[course_date.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, _form_data(course_date))
    assert response.status_code == 302, response.content.decode()[:2000]
    course_date.refresh_from_db()
    assert course_date.capacity == 7 and course_date.venue_name == "Anderer Ort"


def test_the_course_picker_offers_only_the_own_landesjugendamts_courses(
    staff_client, lvr_course, lwl_course
):
    html = staff_client.get(reverse("course_dates:add")).content.decode()
    assert lvr_course.title in html
    assert lwl_course.title not in html


def test_the_trainer_picker_offers_trainer_entries_only(staff_client, lvr_course):
    UserFactory(name="Pending Person Ohne Rolle")
    member(name="Gewöhnliches Mitglied")
    Trainer.objects.create(name="Aktive Referentin", organisation="ISS Frankfurt")
    Trainer.objects.create(name="Ehemaliger Referent", active=False)
    html = staff_client.get(reverse("course_dates:add")).content.decode()
    picker = html.split('name="trainers"', 1)[1].split("</select>", 1)[0]
    assert "Aktive Referentin (ISS Frankfurt)" in picker
    assert "Ehemaliger Referent" not in picker
    assert "Pending Person Ohne Rolle" not in picker
    assert "Gewöhnliches Mitglied" not in picker


def test_an_inactive_trainer_stays_on_the_dates_that_have_them(staff_client, lvr_course):
    former = Trainer.objects.create(name="Ehemaliger Referent", active=False)
    course_date = CourseDateFactory(course=lvr_course)
    course_date.trainers.add(former)
    html = staff_client.get(reverse("course_dates:edit", args=[course_date.pk])).content.decode()
    picker = html.split('name="trainers"', 1)[1].split("</select>", 1)[0]
    assert "Ehemaliger Referent" in picker


def test_the_evaluation_task_leads_to_the_results_of_the_date(staff_client, lvr_course):
    """The start page's task „Evaluation auswerten“ leads to the date's results, and so does
    the participant page's Evaluation section once the date has ended. (The task pointed at an
    anchor the participant page did not have, and no page linked the date's results.)"""
    planned = CourseDateFactory(course=lvr_course)
    closed = _past(lvr_course, days=5)
    _seat(closed, status=RegistrationStatus.ATTENDED)
    course_date_close(course_date=closed, by=None)
    home = staff_client.get(HOME, {"period": "past"}).content.decode()
    participants = reverse("training:staff_participants", args=[closed.pk])
    results = reverse("evaluation:date_results", args=[closed.pk])
    assert f'href="{results}" data-task="evaluation"' in home

    html = staff_client.get(participants).content.decode()
    assert '<h2 id="evaluation">Evaluation</h2>' in html
    assert f'<a href="{results}">Evaluationsergebnisse dieses Termins ansehen</a>' in html
    assert staff_client.get(results).status_code == 200

    upcoming = staff_client.get(reverse("training:staff_participants", args=[planned.pk]))
    assert 'id="evaluation"' not in upcoming.content.decode()
