"""The annual report's journey in Chromium, on the demo data: the course manager imports a list
of youth offices with an error (sees its line, nothing changes), fixes it and imports it, opens
the year's reports, follows a row to its dates and a date's participants, downloads the XLSX;
Dortmund's coordinator opens the matrix of the modules her colleagues still lack. axe-core on
every page; the row link is reached and followed with the keyboard."""

import io
import re

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from network.models import Municipality
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import follow, give_totp, login, login_from_start, tab_to

HEADER = "schluessel;name;art;landesjugendamt;kohorte;seit;aktiv\n"


def _csv(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _workbook(download):
    """The downloaded XLSX's first sheet (the file has no extension openpyxl would accept)."""
    with open(download.path(), "rb") as file:
        return load_workbook(io.BytesIO(file.read())).active


def _nav(page, name: str) -> None:
    follow(page, page.locator("header").get_by_role("link", name=name, exact=True))


def _main_link(page, name, **kwargs) -> None:
    follow(page, page.locator("main").get_by_role("link", name=name, **kwargs).first)


def test_course_manager_imports_the_list_and_reports_the_year(new_context, demo, tmp_path):
    manager = demo.course_manager
    give_totp(manager)
    page = new_context().new_page()
    login(page, manager, demo.password)
    _nav(page, "Mein Bereich")
    _main_link(page, "Berichte zum Fortbildungsprogramm")
    _main_link(page, "Liste der Jugendämter importieren")

    # A file with an error: its line is named, nothing is changed.
    before = list(Municipality.objects.order_by("pk").values())
    wrong = _csv(
        tmp_path,
        "jugendaemter.csv",
        HEADER
        + "05913000;Dortmund;kreisfreie Stadt;LWL;1;2017;ja\n"
        + "05970040;Siegen;kreisangehörige Stadt;Westfalen;2;2024;ja\n",
    )
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(wrong)
    follow(page, page.get_by_role("button", name="Datei prüfen"))
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("Zeile 3: unbekanntes Landesjugendamt „Westfalen“")
    expect(errors).to_contain_text("nichts geändert")
    expect(page.get_by_role("button", name="Import bestätigen")).to_have_count(0)
    assert list(Municipality.objects.order_by("pk").values()) == before

    # Fixed: the preview names the new and the changed one, the confirmation imports them.
    fixed = _csv(
        tmp_path,
        "jugendaemter-korrigiert.csv",
        wrong.read_text(encoding="utf-8").replace(";Westfalen;", ";LWL;"),
    )
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(fixed)
    follow(page, page.get_by_role("button", name="Datei prüfen"))
    expect(page.locator("main")).to_contain_text("1 neu, 1 geändert, 0 unverändert.")
    expect(page.get_by_role("table", name="Neue Jugendämter")).to_contain_text("Siegen")
    follow(page, page.get_by_role("button", name="Import bestätigen"))
    expect(page.locator("body")).to_contain_text(
        "Import abgeschlossen: 1 angelegt, 1 geändert, 0 unverändert."
    )
    siegen = Municipality.objects.get(municipality_key="05970040")
    assert (siegen.region, siegen.cohort, siegen.is_demo) == ("LWL", 2, False)
    assert not Municipality.objects.get(slug="dortmund").is_demo

    # The year's reports: the filter offers the years with dates only.
    _main_link(page, "Berichte zur Fortbildung")
    year = timezone.localdate().year
    years = page.get_by_label("Jahr", exact=True).locator("option").all_inner_texts()
    assert str(year) in years and str(year - 1) in years and str(year - 4) not in years
    page.get_by_label("Jahr", exact=True).select_option(str(year))
    follow(page, page.locator("main").get_by_role("button", name="Anzeigen"))
    municipalities = page.get_by_role("table", name="Teilnahme je Kommune")
    siegen_row = municipalities.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Siegen", exact=True)
    )
    expect(siegen_row.get_by_role("cell")).to_have_text(["Westfalen-Lippe (LWL)", "0", "0"])
    expect(municipalities).to_contain_text("Westfalen-Lippe (LWL)")

    # A module's row leads to its dates, reached with the keyboard.
    modules = page.get_by_role("table", name="Teilnahme je Modul und Jahr")
    row_link = modules.get_by_role("link", name=f"Frühe Hilfen als erster Baustein {year}")
    tab_to(page, row_link, limit=300)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_no_axe_violations(page)
    expect(page.locator("main")).to_contain_text(
        "Gezeigt werden die Termine von „Frühe Hilfen als erster Baustein“"
    )
    dates = page.get_by_role("table", name="Auslastung und Warteliste je Termin")
    expect(dates.get_by_role("link")).not_to_have_count(0)
    for text in dates.get_by_role("link").all_inner_texts():
        assert text.startswith("Frühe Hilfen als erster Baustein"), text

    # The XLSX of the module report holds the year's rows.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Excel.*Teilnahme je Modul und Jahr")).click()
    sheet = _workbook(download.value)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Modul", "Jahr"] and all(row[1] == year for row in rows[1:])

    # And a date's row leads to its participants.
    follow(page, dates.get_by_role("link").first)
    expect(page.locator("h1")).to_contain_text("Frühe Hilfen als erster Baustein")


def test_coordinator_opens_the_matrix_of_her_municipality(new_context, demo):
    page = new_context().new_page()
    login_from_start(page, demo.coordinator, demo.password)
    _nav(page, "Mein Bereich")
    _main_link(page, "Anmeldungen und abgeschlossene Module unserer Kommune")
    _main_link(page, "Welche Module noch fehlen")
    table = page.locator("main table")
    felix = table.get_by_role("row").filter(has_text="Felix Fischer")
    expect(felix).to_contain_text("teilgenommen")  # his Grundlagen module
    expect(felix).to_contain_text("fehlt")
    expect(page.locator("main")).not_to_contain_text("Sabine Hoffmann")  # Essen's
    page.get_by_label("nur Personen, denen ein Modul fehlt").check()
    follow(page, page.locator("main").get_by_role("button", name="Anzeigen"))
    expect(table.get_by_role("row").filter(has_text="Dana Demir")).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX) herunterladen").click()
    sheet = _workbook(download.value)
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} == {"Dortmund"}
