"""The annual programme report's pages: every programme municipality with zeros, by region;
participation per module and year; only years with data; labels that wrap; row links; the
"which modules are missing" matrix for staff and coordinators, with its XLSX; query counts."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.charts import wrap_label
from network.models import Municipality
from tests.factories import (
    CourseDateFactory,
    CourseFactory,
    MunicipalityFactory,
    StaffFactory,
    coordinator,
    member,
)
from training.models import Registration
from training.reports import Report, participation_by_municipality, report_years

pytestmark = pytest.mark.django_db


def _past_date(*, days_ago=30, **fields):
    start = timezone.now() - timedelta(days=days_ago)
    return CourseDateFactory(start=start, end=start + timedelta(hours=6), **fields)


def _seat(course_date, person, town, status="attended"):
    return Registration.objects.create(
        course_date=course_date, participant=person, municipality=town, status=status
    )


def test_every_programme_municipality_appears_with_zeros_grouped_by_region():
    essen = MunicipalityFactory(name="Essen", region="LVR", municipality_key="05113000")
    MunicipalityFactory(name="Bonn", region="LVR", municipality_key="05314000")
    MunicipalityFactory(name="Hagen", region="LWL", municipality_key="05914000")
    MunicipalityFactory(name="Ratingen", region="LVR", municipality_key="05158028", cohort=None)
    _seat(_past_date(), member(essen), essen)
    report = participation_by_municipality()
    assert [row[0] for row in report.rows] == ["Bonn", "Essen", "Hagen"]  # Ratingen: no cohort
    assert [row[2:] for row in report.rows] == [[0, 0], [1, 1], [0, 0]]
    groups = [row["group"] for row in report.table()]
    assert groups == ["Rheinland (LVR)", None, "Westfalen-Lippe (LWL)"]
    matrix = reverse("training:staff_matrix")
    slugs = [
        m.slug for m in Municipality.objects.exclude(name="Ratingen").order_by("region", "name")
    ]
    assert report.links == [f"{matrix}?kommune={slug}" for slug in slugs]


def test_year_filter_offers_only_years_with_dates(staff_client):
    _past_date(days_ago=400)
    CourseDateFactory()
    years = report_years()
    now = timezone.localdate()
    assert years == sorted(
        {(now - timedelta(days=400)).year, (now + timedelta(days=14)).year}, reverse=True
    )
    content = staff_client.get(reverse("training:staff_reports")).content.decode()
    options = content.split('id="id_jahr"')[1].split("</select>")[0]
    assert options.count("<option") == len(years) + 1  # and "all years"


def test_long_labels_wrap_and_are_never_cut():
    title = (
        "Kommunale Präventionsketten gegen Kinderarmut: Netzwerkarbeit mit Kitas, "
        "Familiengrundschulzentren und Lotsendiensten in Geburtskliniken"
    )
    lines = wrap_label(title)
    assert len(lines) > 2 and all(len(line) <= 34 for line in lines)
    assert " ".join(lines) == title
    word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen"
    assert "".join(line.rstrip("-") for line in wrap_label(word)) == word
    report = Report(
        key="x",
        title="t",
        description="d",
        columns=["a", "b"],
        rows=[[title, 3], ["kurz", 1]],
        chart_column=1,
    )
    chart = report.chart()
    first, second = chart["bars"]
    assert first["lines"] == lines
    assert second["y"] >= first["y"] + len(lines) * 16  # the next bar starts below the label
    assert chart["height"] >= second["y"] + 28


def test_reports_page_links_rows_to_dates_and_municipalities(staff_client):
    town = MunicipalityFactory(name="Gelsenkirchen", slug="gelsenkirchen")
    long_title = "Präventionskette " * 8
    course_date = _past_date(course__title=long_title.strip())
    _seat(course_date, member(town), town)
    content = staff_client.get(reverse("training:staff_reports")).content.decode()
    assert f'href="{reverse("training:staff_matrix")}?kommune=gelsenkirchen"' in content
    assert f'href="{reverse("training:staff_participants", args=[course_date.pk])}"' in content
    year = timezone.localtime(course_date.start).year
    module_link = f"?jahr={year}&amp;kurs={course_date.course_id}#h-auslastung"
    assert module_link in content
    # The whole title is in the chart, in lines (tspans), none cut.
    assert content.count("<tspan") >= 3 and "…" not in content
    # Following the module row shows that course's dates only.
    other = _past_date(course__title="Anderer Kurs")
    page = staff_client.get(
        reverse("training:staff_reports"), {"jahr": year, "kurs": course_date.course_id}
    ).content.decode()
    assert reverse("training:staff_participants", args=[course_date.pk]) in page
    assert reverse("training:staff_participants", args=[other.pk]) not in page


def _count(client, url, **params) -> int:
    """The queries of one request, without Wagtail's look-up of the Site, which its cache
    answers or not depending on the time passed, not on the rows."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len([q for q in queries.captured_queries if "wagtailcore_site" not in q["sql"]])


def _grow(n):
    for _ in range(n):
        town = MunicipalityFactory()
        course_date = _past_date()
        for status in ("attended", "confirmed", "waiting"):
            _seat(course_date, member(town), town, status)
        coordinator(town)


def test_reports_page_query_count_is_constant(staff_client, django_assert_max_num_queries):
    _grow(2)
    url = reverse("training:staff_reports")
    _count(staff_client, url)
    few = _count(staff_client, url)
    _grow(8)
    assert _count(staff_client, url) == few
    with django_assert_max_num_queries(8):
        staff_client.get(url)
    year = timezone.localdate().year
    for report in ("kommunen", "module", "auslastung"):
        export = reverse("training:staff_report_export", args=[report, "xlsx"])
        assert _count(staff_client, export, jahr=year) <= few


# --- the matrix --------------------------------------------------------------------------------


@pytest.fixture
def modules():
    return [
        CourseFactory(title="Modul 1: Präventionskette"),
        CourseFactory(title="Modul 2: Frühe Hilfen"),
    ]


def _town_with_people(name, modules, region="LWL"):
    town = MunicipalityFactory(name=name, slug=name.lower(), region=region)
    done = member(town, name=f"{name} Fertig")
    booked = member(town, name=f"{name} Angemeldet")
    lacking = member(town, name=f"{name} Fehlt")
    past = _past_date(course=modules[0])
    _seat(past, done, town, "attended")
    _seat(_past_date(course=modules[1]), done, town, "attended")
    _seat(past, booked, town, "cancelled")
    _seat(CourseDateFactory(course=modules[1]), booked, town, "waiting")
    _seat(past, lacking, town, "confirmed")  # registered but never marked: still booked
    return town, done, booked, lacking


def test_staff_see_their_region_and_filter_by_municipality(client, modules):
    _town_with_people("Dortmund", modules)
    _town_with_people("Hamm", modules)
    _town_with_people("Koeln", modules, region="LVR")
    client.force_login(StaffFactory(landesjugendamt="LWL"))
    url = reverse("training:staff_matrix")
    content = client.get(url).content.decode()
    assert "Dortmund Fertig" in content and "Hamm Fehlt" in content
    assert "Koeln" not in content  # LVR's
    filtered = client.get(url, {"kommune": "hamm", "fehlend": "1"}).content.decode()
    assert "Hamm Angemeldet" in filtered and "Hamm Fertig" not in filtered
    assert "Dortmund" not in filtered.split("<table")[1]
    # The Köln filter is not offered to LWL staff and shows nothing of Köln.
    assert "Koeln" not in client.get(url, {"kommune": "koeln"}).content.decode()


def test_matrix_xlsx_says_what_the_page_says(client, modules):
    _town_with_people("Dortmund", modules)
    client.force_login(StaffFactory(landesjugendamt="LWL"))
    response = client.get(reverse("training:staff_matrix_xlsx"), {"kommune": "dortmund"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "Kommune",
        "Name",
        "Funktion",
        "Modul 1: Präventionskette",
        "Modul 2: Frühe Hilfen",
        "Fehlende Module",
    ]
    by_name = {row[1]: row[3:] for row in rows[1:]}
    assert by_name["Dortmund Fertig"] == ["teilgenommen", "teilgenommen", 0]
    assert by_name["Dortmund Angemeldet"] == ["fehlt", "angemeldet", 1]
    assert by_name["Dortmund Fehlt"] == ["angemeldet", "fehlt", 1]


def test_a_coordinator_sees_only_their_own_municipality(client, modules):
    _town_with_people("Dortmund", modules)
    koeln, *_ = _town_with_people("Koeln", modules, region="LVR")
    client.force_login(coordinator(koeln, name="Kim Koordination"))
    url = reverse("training:coordinator_matrix")
    content = client.get(url, {"kommune": "dortmund"}).content.decode()
    assert "Koeln Fehlt" in content and "Kim Koordination" in content
    assert "Dortmund" not in content
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("training:coordinator_matrix_xlsx")).content)
    ).active
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} == {"Koeln"}
    # Nor the staff view of it.
    assert client.get(reverse("training:staff_matrix")).status_code == 403


def test_members_see_no_matrix(client, modules):
    dortmund, *_ = _town_with_people("Dortmund", modules)
    client.force_login(member(dortmund))
    assert client.get(reverse("training:coordinator_matrix")).status_code == 403
    assert client.get(reverse("training:coordinator_matrix_xlsx")).status_code == 403
    assert client.get(reverse("training:staff_matrix")).status_code == 403


def test_matrix_query_count_is_constant(client, modules, django_assert_max_num_queries):
    client.force_login(StaffFactory(landesjugendamt="LWL"))
    _town_with_people("Dortmund", modules)
    url = reverse("training:staff_matrix")
    _count(client, url)  # the first request of a session warms caches (second factor, groups)
    few = _count(client, url)
    for index in range(6):
        _town_with_people(f"Stadt{index}", modules)
    CourseFactory(title="Modul 3")
    assert _count(client, url) == few
    with django_assert_max_num_queries(6):
        client.get(url)
    boss = coordinator(MunicipalityFactory(name="Bochum", slug="bochum"))
    client.force_login(boss)
    url = reverse("training:coordinator_matrix")
    _count(client, url)
    few = _count(client, url)
    for _ in range(5):
        person = member(boss.memberships.get().municipality)
        _seat(_past_date(course=modules[0]), person, boss.memberships.get().municipality)
    assert _count(client, url) == few
