"""Importing the list of youth offices: what the preview says, what the database holds after,
and every refusal leaving the list as it was."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook

from network.exceptions import MunicipalityImportRefused
from network.models import Municipality
from network.services.municipality_import import (
    municipality_import_apply,
    municipality_import_preview,
    municipality_import_read,
)
from tests.factories import MunicipalityFactory, StaffFactory, coordinator

pytestmark = pytest.mark.django_db

HEADER = "schluessel;name;art;landesjugendamt;kohorte;seit;aktiv\n"
GOOD = (
    HEADER
    + "05913000;Dortmund;kreisfreie Stadt;LWL;1;2017;ja\n"
    + "05162024;Neuss;kreisangehörige Stadt;LVR;;;ja\n"
    + "05334;Städteregion Aachen;Kreis;LVR;2;2020;nein\n"
)
EXAMPLE = Path(__file__).resolve().parents[2] / "network/static/network/jugendaemter-beispiel.csv"


def _rows(text: str, name: str = "liste.csv"):
    return municipality_import_read(name=name, content=text.encode("utf-8"))


def _snapshot():
    return list(Municipality.objects.order_by("pk").values())


def _refused(text_or_bytes, name="liste.csv") -> str:
    before = _snapshot()
    content = text_or_bytes if isinstance(text_or_bytes, bytes) else text_or_bytes.encode()
    with pytest.raises(MunicipalityImportRefused) as refused:
        rows = municipality_import_read(name=name, content=content)
        municipality_import_apply(rows=rows)
    assert _snapshot() == before
    lines = [f"{line}: {message}" for line, message in refused.value.errors]
    return " | ".join([str(refused.value), *lines])


def test_import_creates_then_is_idempotent_then_updates():
    done = municipality_import_apply(rows=_rows(GOOD))
    assert len(done.created) == 3 and not done.changed
    neuss = Municipality.objects.get(municipality_key="05162024")
    assert (neuss.name, neuss.kind, neuss.region, neuss.cohort, neuss.slug) == (
        "Neuss",
        "kreisangehoerige_stadt",
        "LVR",
        None,
        "neuss",
    )
    aachen = Municipality.objects.get(municipality_key="05334")
    assert aachen.active is False and aachen.joined_year == 2020 and not aachen.is_demo
    again = municipality_import_preview(rows=_rows(GOOD))
    assert (len(again.created), len(again.changed), len(again.unchanged)) == (0, 0, 3)
    changed = GOOD.replace(
        "05162024;Neuss;kreisangehörige Stadt;LVR;;;ja",
        "05162024;Neuss;kreisangehörige Stadt;LVR;3;2024;ja",
    )
    preview = municipality_import_preview(rows=_rows(changed))
    assert [row.key for row in preview.changed] == ["05162024"]
    assert preview.changed[0].changes == {"cohort": (None, 3), "joined_year": (None, 2024)}
    municipality_import_apply(rows=_rows(changed))
    assert Municipality.objects.get(municipality_key="05162024").cohort == 3
    assert Municipality.objects.count() == 3


def test_demo_rows_become_official_on_import():
    MunicipalityFactory(name="Dortmund", slug="dortmund", municipality_key="05913000", is_demo=True)
    preview = municipality_import_preview(rows=_rows(GOOD))
    assert preview.changed[0].changes["is_demo"] == (True, False)


def test_xlsx_with_comma_free_cells_and_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Schlüssel", "Name", "Art", "Landesjugendamt", "Kohorte"])
    sheet.append([5913000, "Dortmund", "kreisfreie Stadt", "lwl", 1])  # number, lower case
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = municipality_import_read(name="Liste.XLSX", content=buffer.getvalue())
    # A key typed as a number loses its leading zero; the import says so in line 2.
    preview = municipality_import_preview(rows=rows)
    assert preview.errors and preview.errors[0][0] == 2
    sheet["A2"] = "05913000"
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = municipality_import_read(name="Liste.xlsx", content=buffer.getvalue())
    municipality_import_apply(rows=rows)
    assert Municipality.objects.get(municipality_key="05913000").region == "LWL"


def test_the_example_file_imports_cleanly():
    rows = municipality_import_read(name=EXAMPLE.name, content=EXAMPLE.read_bytes())
    preview = municipality_import_preview(rows=rows)
    assert preview.ok, preview.errors
    assert len(preview.created) == len(EXAMPLE.read_text().splitlines()) - 1


def test_refuses_a_missing_column():
    message = _refused("schluessel;name;landesjugendamt\n05913000;Dortmund;LWL\n")
    assert "Zeile 1" in message and "art" in message


def test_refuses_an_unknown_landesjugendamt_with_its_line():
    message = _refused(GOOD + "05711000;Bielefeld;kreisfreie Stadt;LJA Bayern;;;ja\n")
    assert "5: unbekanntes Landesjugendamt „LJA Bayern“" in message
    assert "nichts geändert" in message


def test_refuses_a_duplicate_key_with_both_lines():
    message = _refused(GOOD + "05913000;Dortmund-Nord;kreisfreie Stadt;LWL;;;ja\n")
    assert "5: der Schlüssel 05913000 steht zweimal in der Datei (auch in Zeile 2)" in message


def test_one_bad_line_keeps_the_good_ones_out():
    MunicipalityFactory(name="Dortmund", slug="dortmund", municipality_key="05913000", cohort=None)
    _refused(GOOD + "0571;Bielefeld;kreisfreie Stadt;LWL;;;ja\n")
    assert Municipality.objects.get(municipality_key="05913000").cohort is None


def test_refuses_an_empty_file_and_a_header_only():
    assert "leer" in _refused("")
    assert "leer" in _refused("\n;;;\n")
    assert "nur die Kopfzeile" in _refused(HEADER)


def test_refuses_five_megabytes_of_garbage():
    garbage = bytes(range(256)) * (5 * 1024 * 1024 // 256)
    assert "zu groß" in _refused(garbage)
    assert "zu groß" in _refused(garbage, name="liste.xlsx")


def test_refuses_garbage_below_the_limit_and_other_types():
    assert "keine lesbare CSV" in _refused(b"\x00\x01garbage" * 100)
    assert "keine lesbare Excel" in _refused(b"not a zip at all", name="liste.xlsx")
    assert "keine lesbare Excel" in _refused(b"PK\x03\x04broken", name="liste.xlsx")
    assert "CSV- oder XLSX-Datei" in _refused(GOOD, name="liste.pdf")


def test_refuses_a_name_held_by_another_key():
    MunicipalityFactory(name="Neuss", slug="neuss", municipality_key="05162000")
    assert "gehört zur Kommune mit dem Schlüssel 05162000" in _refused(GOOD)


def test_refuses_a_key_of_the_other_region():
    message = _refused(HEADER + "05913000;Dortmund;kreisfreie Stadt;LVR;;;ja\n")
    assert "Region des LWL" in message


# --- the page ----------------------------------------------------------------------------------


def _upload(client, text: str, name: str = "liste.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("network:municipality_import"),
        {"action": "preview", "file": SimpleUploadedFile(name, text.encode("utf-8"))},
    )


def test_page_previews_then_imports_on_confirmation(client):
    client.force_login(StaffFactory())
    response = _upload(client, GOOD)
    content = response.content.decode()
    assert response.status_code == 200
    assert "3 neu, 0 geändert, 0 unverändert." in content and "Städteregion Aachen" in content
    assert Municipality.objects.count() == 0
    response = client.post(reverse("network:municipality_import"), {"action": "apply"}, follow=True)
    assert "3 angelegt, 0 geändert, 0 unverändert" in response.content.decode()
    assert Municipality.objects.count() == 3


def test_page_shows_line_errors_and_offers_no_confirmation(client):
    client.force_login(StaffFactory())
    content = _upload(client, GOOD + "05711000;Bielefeld;Stadt;LWL;;;ja\n").content.decode()
    assert "Zeile 5: unbekannte Art „Stadt“" in content
    assert "Import bestätigen" not in content
    response = client.post(reverse("network:municipality_import"), {"action": "apply"}, follow=True)
    assert "abgelaufen" in response.content.decode()
    assert Municipality.objects.count() == 0


def test_page_refuses_a_big_file_with_a_german_message(client):
    client.force_login(StaffFactory())
    response = _upload(client, "x" * (5 * 1024 * 1024))
    assert response.status_code == 400
    assert "Die Datei ist zu groß: höchstens 2 MB sind erlaubt." in response.content.decode()


def test_page_is_for_staff_only(client):
    client.force_login(coordinator())
    assert client.get(reverse("network:municipality_import")).status_code == 403
    assert _upload(client, GOOD).status_code == 403
    assert Municipality.objects.count() == 1  # the coordinator's own


def test_preview_and_import_take_a_fixed_number_of_queries(
    django_assert_num_queries, django_assert_max_num_queries
):
    def rows(n):
        text = HEADER + "".join(
            f"05913{i:03d};Stadt {i};kreisangehörige Stadt;LWL;;;ja\n" for i in range(1, n + 1)
        )
        return _rows(text)

    MunicipalityFactory(name="Stadt 1", slug="stadt-1", municipality_key="05913001")
    with django_assert_num_queries(2):
        municipality_import_preview(rows=rows(3))
    with django_assert_num_queries(2):
        municipality_import_preview(rows=rows(40))
    # Savepoint, lock, preview (2), slugs, create, changed, update, release: not per row.
    with django_assert_max_num_queries(9):
        municipality_import_apply(rows=rows(40))
    assert Municipality.objects.count() == 40
