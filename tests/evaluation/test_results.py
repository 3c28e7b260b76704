"""Results: shown from three answers on (page, XLSX, aggregates), to staff and the date's
trainers only, with a pinned number of queries."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.evaluation.conftest import attendee, held_date
from tests.factories import CourseFactory, StaffFactory, member
from training.evaluation.services import answer_submit
from training.models import Trainer
from training.selectors import user_is_trainer_of

pytestmark = pytest.mark.django_db


def answers(course_date, values, *, helpful=""):
    """One answer per value: every scale question gets that value."""
    for value in values:
        answer_submit(
            course_date=course_date,
            user=attendee(course_date),
            scores={"overall": value, "daily_work": value, "trainers": value, "organisation": 3},
            texts={"helpful": helpful, "improve": ""},
        )


def _sheets(response) -> dict[str, list[tuple]]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def _cells(sheet_rows) -> list:
    return [cell for row in sheet_rows for cell in row if cell is not None]


def _granted_staff():
    """LVR staff whom the admin granted the other Landesjugendamt's dates as well."""
    staff = StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="edit_other_provider_dates"))
    return staff


def test_below_three_answers_nothing_is_shown(client):
    course_date = held_date()
    answers(course_date, [5, 1], helpful="Sehr gut erklärt")
    client.force_login(StaffFactory())
    html = client.get(reverse("evaluation:date_results", args=[course_date.pk])).content.decode()
    assert "Noch zu wenige Antworten (2 von 3)" in html
    assert "Durchschnitt" not in html and "Sehr gut erklärt" not in html
    sheets = _sheets(client.get(reverse("evaluation:date_results_xlsx", args=[course_date.pk])))
    cells = _cells(sheets["Skalen"]) + _cells(sheets["Freitexte"])
    assert "Noch zu wenige Antworten (2 von 3)" in cells
    assert "Sehr gut erklärt" not in cells
    assert not [c for c in cells if isinstance(c, int | float)]


def test_from_three_answers_averages_distribution_and_texts_show(client):
    course_date = held_date()
    answers(course_date, [5, 4, 4], helpful="Die *Praxisbeispiele* &")
    client.force_login(StaffFactory())
    html = client.get(reverse("evaluation:date_results", args=[course_date.pk])).content.decode()
    assert "Noch zu wenige Antworten" not in html
    assert "Durchschnitt 4,3 von 5 (3 Antworten)" in html
    assert "Wie zufrieden sind Sie insgesamt mit der Veranstaltung?" in html
    assert "67 %" in html and "33 %" in html
    # Free text as escaped plain text.
    assert "Die *Praxisbeispiele* &amp;" in html
    sheets = _sheets(client.get(reverse("evaluation:date_results_xlsx", args=[course_date.pk])))
    rows = {row[0]: row for row in sheets["Skalen"] if row and row[0]}
    overall = rows["Wie zufrieden sind Sie insgesamt mit der Veranstaltung?"]
    assert overall[1:8] == (3, 4.33, 1, 2, 0, 0, 0)
    texts = [row[1] for row in sheets["Freitexte"][1:]]
    assert texts.count("Die *Praxisbeispiele* &") == 3


def test_aggregates_leave_out_dates_below_the_threshold(client):
    """A module's results must not reveal the single answer of a small date by difference."""
    course = CourseFactory(title="Netzwerke gestalten", provider="LWL")
    big, small = held_date(course=course), held_date(course=course)
    answers(big, [4, 4, 4])
    answers(small, [1])
    client.force_login(_granted_staff())
    html = client.get(reverse("evaluation:index"), {"kurs": course.pk}).content.decode()
    assert "Durchschnitt 4,0 von 5 (3 Antworten)" in html
    assert "1 Termin mit weniger als 3 Antworten ist nicht enthalten" in html
    sheets = _sheets(client.get(reverse("evaluation:index_xlsx"), {"kurs": course.pk}))
    rows = {row[0]: row for row in sheets["Skalen"] if row and row[0]}
    assert rows["Wie zufrieden sind Sie insgesamt mit der Veranstaltung?"][1:3] == (3, 4.0)
    # A provider or year with only the small date shows nothing.
    answers(held_date(course=CourseFactory(provider="LVR")), [2])
    html = client.get(reverse("evaluation:index"), {"anbieter": "LVR"}).content.decode()
    assert "Noch zu wenige Antworten (1 von 3)" in html
    assert "Durchschnitt" not in html


def test_results_by_provider_and_year(client):
    lvr = held_date(course=CourseFactory(provider="LVR"))
    lwl = held_date(course=CourseFactory(provider="LWL"))
    answers(lvr, [5, 5, 5])
    answers(lwl, [2, 2, 2])
    client.force_login(_granted_staff())
    year = lvr.start.year
    html = client.get(reverse("evaluation:index"), {"anbieter": "LWL", "jahr": year}).content
    assert "Durchschnitt 2,0 von 5 (3 Antworten)" in html.decode()
    html = client.get(reverse("evaluation:index"), {"jahr": year}).content.decode()
    assert "Durchschnitt 3,5 von 5 (6 Antworten)" in html
    assert "2 Termine" in html
    # A year without dates is no choice: the filter says so.
    html = client.get(reverse("evaluation:index"), {"jahr": year + 1}).content.decode()
    assert "Bitte eine gültige Auswahl treffen." in html


def test_trainers_see_their_dates_only(client):
    trainer = member()
    theirs, other = held_date(), held_date()
    theirs.trainers.add(Trainer.objects.create(name="Rita Referentin", user=trainer))
    answers(theirs, [5, 5, 4])
    assert user_is_trainer_of(user=trainer, course_date=theirs)
    assert not user_is_trainer_of(user=trainer, course_date=other)
    client.force_login(trainer)
    assert client.get(reverse("evaluation:date_results", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("evaluation:date_results_xlsx", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("evaluation:date_results", args=[other.pk])).status_code == 403
    index = client.get(reverse("evaluation:index"))
    assert index.status_code == 200
    html = index.content.decode()
    assert reverse("evaluation:date_results", args=[theirs.pk]) in html
    assert reverse("evaluation:date_results", args=[other.pk]) not in html
    # No module, provider or year results for trainers.
    assert client.get(reverse("evaluation:index_xlsx")).status_code == 403


def test_participants_and_other_members_see_no_results(client):
    course_date = held_date()
    answers(course_date, [5, 5, 5])
    for person in (attendee(course_date), member()):
        client.force_login(person)
        for url in (
            reverse("evaluation:date_results", args=[course_date.pk]),
            reverse("evaluation:date_results_xlsx", args=[course_date.pk]),
            reverse("evaluation:index"),
            reverse("evaluation:index_xlsx"),
        ):
            assert client.get(url).status_code == 403, url


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def test_query_counts_are_pinned_and_constant_in_answers_and_dates(
    client, django_assert_max_num_queries
):
    course = CourseFactory()
    first = held_date(course=course)
    answers(first, [4, 4, 4], helpful="gut")
    client.force_login(StaffFactory())
    date_url = reverse("evaluation:date_results", args=[first.pk])
    pages = [
        (date_url, None),
        (reverse("evaluation:index"), None),
        (reverse("evaluation:index"), {"kurs": course.pk}),
        (reverse("evaluation:date_results_xlsx", args=[first.pk]), None),
        (reverse("evaluation:index_xlsx"), None),
    ]
    client.get(date_url)  # the session comes from the database once, then from the cache
    few = [_queries(client, url, params) for url, params in pages]
    answers(first, [5, 3, 2, 1, 5, 4, 3], helpful="sehr gut")
    for _ in range(4):
        answers(held_date(course=course), [3, 4, 5, 5], helpful="hilfreich")
    many = [_queries(client, url, params) for url, params in pages]
    assert many == few
    with django_assert_max_num_queries(7):
        client.get(date_url)
    with django_assert_max_num_queries(10):
        client.get(reverse("evaluation:index"))


def test_the_distribution_is_drawn_by_the_platforms_one_bar_chart(client):
    """The reports and the evaluation share templates/includes/bar_chart.html (core.charts)."""
    course_date = held_date()
    answers(course_date, [5, 4, 4])
    client.force_login(StaffFactory())
    html = client.get(reverse("evaluation:date_results", args=[course_date.pk])).content.decode()
    assert html.count('<svg class="bar-chart" role="img"') == 4  # one per scale question
    assert "<tspan" in html and "5 (beste)" in html and "1 (schlechteste)" in html
    assert "Verteilung der Antworten: Wie zufrieden sind Sie insgesamt" in html
    assert "distribution__bar" not in html
