"""Evaluation results are scoped like the rest of the back office: staff see the results of
their own Landesjugendamt's dates (per date, module, provider and year, page and XLSX), the
other's only when granted; a trainer those of the dates they teach."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from tests.evaluation.conftest import held_date
from tests.evaluation.test_results import answers
from tests.factories import CourseFactory, StaffFactory, member
from training.evaluation.selectors import held_dates
from training.models import CourseDate, Trainer
from training.services.lifecycle import course_date_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def dates():
    lvr = held_date(course=CourseFactory(provider="LVR", title="Frühe Hilfen im Rheinland"))
    lwl = held_date(course=CourseFactory(provider="LWL", title="Präventionsketten in Westfalen"))
    answers(lvr, [5, 5, 5], helpful="Rheinland war gut")
    answers(lwl, [1, 1, 1], helpful="Westfalen war gut")
    return lvr, lwl


def _xlsx_cells(response) -> list:
    book = load_workbook(io.BytesIO(response.content))
    return [
        c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row
    ]


def test_lwl_staff_see_only_lwls_results(client, dates):
    lvr, lwl = dates
    client.force_login(StaffFactory(landesjugendamt="LWL"))
    for name in ("evaluation:date_results", "evaluation:date_results_xlsx"):
        refused = client.get(reverse(name, args=[lvr.pk]))
        assert refused.status_code == 403
        assert "Zugriff verweigert" in refused.content.decode() or name.endswith("xlsx")
        assert client.get(reverse(name, args=[lwl.pk])).status_code == 200
    html = client.get(reverse("evaluation:index")).content.decode()
    assert reverse("evaluation:date_results", args=[lwl.pk]) in html
    assert reverse("evaluation:date_results", args=[lvr.pk]) not in html
    # The aggregate over "all dates" is LWL's alone: average 1, and only LWL's texts.
    assert "Durchschnitt 1,0 von 5 (3 Antworten)" in html
    assert "Rheinland war gut" not in html and "Westfalen war gut" in html
    # The other provider is no choice; the module of LVR shows nothing of it.
    refused = client.get(reverse("evaluation:index"), {"anbieter": "LVR"}).content.decode()
    assert "Bitte eine gültige Auswahl treffen." in refused
    by_course = client.get(reverse("evaluation:index"), {"kurs": lvr.course_id}).content.decode()
    assert "Rheinland war gut" not in by_course and "Durchschnitt" not in by_course
    cells = _xlsx_cells(client.get(reverse("evaluation:index_xlsx")))
    assert "Westfalen war gut" in cells and "Rheinland war gut" not in cells
    cells = _xlsx_cells(client.get(reverse("evaluation:index_xlsx"), {"kurs": lvr.course_id}))
    assert "Rheinland war gut" not in cells


def test_granted_staff_see_both(client, dates):
    staff = StaffFactory(landesjugendamt="LWL")
    staff.user_permissions.add(Permission.objects.get(codename="edit_other_provider_dates"))
    client.force_login(staff)
    html = client.get(reverse("evaluation:index")).content.decode()
    assert "Durchschnitt 3,0 von 5 (6 Antworten)" in html
    assert client.get(reverse("evaluation:date_results", args=[dates[0].pk])).status_code == 200


def test_a_trainer_who_is_staff_of_the_other_provider_sees_their_own_date(client, dates):
    lvr, lwl = dates
    staff = StaffFactory(landesjugendamt="LWL")
    lvr.trainers.add(Trainer.objects.create(name="Gast", user=staff))
    client.force_login(staff)
    assert client.get(reverse("evaluation:date_results", args=[lvr.pk])).status_code == 200
    html = client.get(reverse("evaluation:index")).content.decode()
    assert reverse("evaluation:date_results", args=[lvr.pk]) in html
    # A date with two trainers is listed once.
    lwl.trainers.add(Trainer.objects.create(name="Zweite", user=member()))
    lwl.trainers.add(Trainer.objects.create(name="Dritte", user=member()))
    html = client.get(reverse("evaluation:index")).content.decode()
    assert html.count(reverse("evaluation:date_results", args=[lwl.pk])) == 1


def test_held_means_the_life_cycles_held_or_closed():
    """The evaluation asks training's life cycle: no second definition of "held"."""
    held, closed = held_date(), held_date()
    course_date_close(course_date=closed, by=None)
    cancelled = held_date(status="cancelled")
    assert set(held_dates()) == {held, closed}
    annotated = {d.pk: d.lifecycle for d in CourseDate.objects.with_lifecycle()}
    assert annotated[cancelled.pk] == "cancelled"
    assert held.has_ended() and closed.has_ended() and not cancelled.has_ended()
