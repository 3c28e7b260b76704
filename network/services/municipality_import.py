"""Importing the list of youth offices the Landesjugendämter keep, from a CSV or XLSX file.

Two steps: `municipality_import_read` turns an upload into rows (or refuses the file as a whole),
`municipality_import_preview` says per row what would be created, changed or left as it is and
which lines are wrong; `municipality_import_apply` writes all rows in one transaction, or none
when any line is wrong. Rows are matched by the official key (AGS / Kreisschlüssel), so importing
the same file twice changes nothing. Municipalities missing from the file are left alone.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from network.cache import municipalities_changed
from network.exceptions import MunicipalityImportRefused
from network.models import Municipality, MunicipalityKind, Region

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000

# Column names of the file (first row), German as the Landesjugendämter write them.
REQUIRED_COLUMNS = ("schluessel", "name", "art", "landesjugendamt")
OPTIONAL_COLUMNS = ("kohorte", "seit", "aktiv")

KIND_WORDS = {
    "kreisfreie_stadt": MunicipalityKind.KREISFREIE_STADT,
    "kreisfreie stadt": MunicipalityKind.KREISFREIE_STADT,
    "kreis": MunicipalityKind.KREIS,
    "kreisangehoerige_stadt": MunicipalityKind.KREISANGEHOERIGE_STADT,
    "kreisangehörige stadt": MunicipalityKind.KREISANGEHOERIGE_STADT,
    "kreisangehoerige stadt": MunicipalityKind.KREISANGEHOERIGE_STADT,
}
YES = {"", "ja", "j", "yes", "1", "x", "wahr", "true"}
NO = {"nein", "n", "no", "0", "falsch", "false"}
# The Regierungsbezirk is the third digit of the key: Düsseldorf (1) and Köln (3) belong to the
# LVR, Münster (5), Detmold (7) and Arnsberg (9) to the LWL.
REGION_OF_DISTRICT = {
    "1": Region.LVR,
    "3": Region.LVR,
    "5": Region.LWL,
    "7": Region.LWL,
    "9": Region.LWL,
}

FIELDS = ("name", "kind", "region", "cohort", "joined_year", "active", "is_demo")


@dataclass
class ImportRow:
    line: int
    key: str
    values: dict
    changes: dict = field(default_factory=dict)  # field → (old, new), for a changed row


@dataclass
class ImportPreview:
    created: list[ImportRow] = field(default_factory=list)
    changed: list[ImportRow] = field(default_factory=list)
    unchanged: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, German message)

    @property
    def ok(self) -> bool:
        return not self.errors


def slug_for(name: str) -> str:
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        name = name.replace(umlaut, plain).replace(umlaut.upper(), plain.capitalize())
    return slugify(name)


def _column_name(value) -> str:
    text = str(value or "").strip().lower()
    return text.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _csv_lines(content: bytes) -> list[tuple[int, list[str]]]:
    if b"\x00" in content:
        raise MunicipalityImportRefused(_("The file is not a readable CSV file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # What German Excel writes when it saves "CSV (Trennzeichen-getrennt)".
        text = content.decode("cp1252", errors="strict") if _cp1252_ok(content) else None
        if text is None:
            raise MunicipalityImportRefused(
                _("The file is not a readable CSV file (encoding UTF-8 or Windows-1252).")
            ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        return [
            (number, row)
            for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
        ]
    except csv.Error as error:
        raise MunicipalityImportRefused(
            _("The file is not a readable CSV file: %(error)s") % {"error": error}
        ) from None


def _cp1252_ok(content: bytes) -> bool:
    try:
        content.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _xlsx_lines(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    unreadable = _("The file is not a readable Excel workbook (XLSX).")
    if not content.startswith(b"PK"):
        raise MunicipalityImportRefused(unreadable)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        lines = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            lines.append((number, [_cell(value) for value in row]))
            if number > MAX_ROWS + 1:
                break
        workbook.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, TypeError):
        raise MunicipalityImportRefused(unreadable) from None
    return lines


def municipality_import_read(*, name: str, content: bytes) -> list[dict]:
    """Read an upload into rows of strings keyed by column, each with its `line` in the file.

    Refuses the whole file (MunicipalityImportRefused, German message) when it is too large, of
    another type, unreadable, empty, or lacks a required column.
    """
    if len(content) > MAX_BYTES:
        raise MunicipalityImportRefused(
            _("The file is too large: at most %(mb)s MB are allowed.") % {"mb": MAX_BYTES // 2**20}
        )
    lowered = name.lower()
    if lowered.endswith(".csv"):
        lines = _csv_lines(content)
    elif lowered.endswith(".xlsx"):
        lines = _xlsx_lines(content)
    else:
        raise MunicipalityImportRefused(_("Please upload a CSV or XLSX file."))
    lines = [(number, row) for number, row in lines if any(cell.strip() for cell in row)]
    if not lines:
        raise MunicipalityImportRefused(_("The file is empty."))
    header_line, header = lines[0]
    columns = [_column_name(value) for value in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise MunicipalityImportRefused(
            _("Line %(line)s: the column(s) %(columns)s are missing. Expected: %(expected)s.")
            % {
                "line": header_line,
                "columns": ", ".join(missing),
                "expected": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
            }
        )
    if len(lines) == 1:
        raise MunicipalityImportRefused(_("The file holds no municipality, only the header."))
    if len(lines) > MAX_ROWS + 1:
        raise MunicipalityImportRefused(
            _("The file holds more than %(max)s lines.") % {"max": MAX_ROWS}
        )
    rows = []
    for number, cells in lines[1:]:
        row = {"line": number}
        for index, column in enumerate(columns):
            if column in REQUIRED_COLUMNS or column in OPTIONAL_COLUMNS:
                row[column] = cells[index].strip() if index < len(cells) else ""
        rows.append(row)
    return rows


def _year(value: str, *, lowest: int, highest: int) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not lowest <= int(value) <= highest:
        raise ValueError
    return int(value)


def _validate(row: dict) -> tuple[dict | None, list[str]]:
    """The model values of one row, or the German messages of what is wrong with it."""
    errors = []
    key = row.get("schluessel", "").replace(" ", "")
    name = row.get("name", "").strip()
    kind = KIND_WORDS.get(row.get("art", "").strip().lower())
    region_text = row.get("landesjugendamt", "").strip().upper()
    region = region_text if region_text in Region.values else None
    if not name:
        errors.append(_("the name is empty"))
    elif len(name) > 120:
        errors.append(_("the name is longer than 120 characters"))
    if kind is None:
        errors.append(
            _("unknown kind “%(value)s” (kreisfreie Stadt, Kreis or kreisangehörige Stadt)")
            % {"value": row.get("art", "")}
        )
    if region is None:
        errors.append(
            _("unknown Landesjugendamt “%(value)s” (LVR or LWL)")
            % {"value": row.get("landesjugendamt", "")}
        )
    if not key.isdigit() or not key.startswith("05"):
        errors.append(
            _("the key “%(value)s” is not a key of NRW (digits, starting with 05)")
            % {"value": row.get("schluessel", "")}
        )
    else:
        expected = 5 if kind == MunicipalityKind.KREIS else 8
        if kind is not None and len(key) != expected:
            errors.append(
                _("the key of a %(kind)s has %(digits)s digits")
                % {"kind": MunicipalityKind(kind).label, "digits": expected}
            )
        district_region = REGION_OF_DISTRICT.get(key[2:3])
        if region and district_region and district_region != region:
            errors.append(
                _("the key lies in the region of the %(right)s, not of the %(wrong)s")
                % {"right": district_region, "wrong": region}
            )
    try:
        cohort = _year(row.get("kohorte", ""), lowest=1, highest=99)
    except ValueError:
        errors.append(_("the cohort must be a number from 1 to 99 or empty"))
        cohort = None
    try:
        joined_year = _year(row.get("seit", ""), lowest=2000, highest=2100)
    except ValueError:
        errors.append(_("“seit” must be a year from 2000 to 2100 or empty"))
        joined_year = None
    active_text = row.get("aktiv", "").strip().lower()
    if active_text not in YES | NO:
        errors.append(_("“aktiv” must be ja or nein"))
    if errors:
        return None, errors
    return {
        "key": key,
        "name": name,
        "kind": kind,
        "region": region,
        "cohort": cohort,
        "joined_year": joined_year,
        "active": active_text in YES,
        "is_demo": False,
    }, []


def municipality_import_preview(*, rows: list[dict]) -> ImportPreview:
    """What importing these rows would do, and every wrong line (two queries)."""
    preview = ImportPreview()
    valid: list[ImportRow] = []
    first_line_of_key: dict[str, int] = {}
    first_line_of_name: dict[str, int] = {}
    for row in rows:
        values, errors = _validate(row)
        line = row["line"]
        for message in errors:
            preview.errors.append((line, message))
        if values is None:
            continue
        key = values.pop("key")
        if key in first_line_of_key:
            preview.errors.append(
                (
                    line,
                    _("the key %(key)s appears twice in the file (also in line %(other)s)")
                    % {"key": key, "other": first_line_of_key[key]},
                )
            )
            continue
        first_line_of_key[key] = line
        name_key = values["name"].casefold()
        if name_key in first_line_of_name:
            preview.errors.append(
                (
                    line,
                    _("the name “%(name)s” appears twice in the file (also in line %(other)s)")
                    % {"name": values["name"], "other": first_line_of_name[name_key]},
                )
            )
            continue
        first_line_of_name[name_key] = line
        valid.append(ImportRow(line=line, key=key, values=values))

    existing = {
        m.municipality_key: m
        for m in Municipality.objects.filter(municipality_key__in=[row.key for row in valid])
    }
    names_taken = dict(
        Municipality.objects.filter(name__in=[row.values["name"] for row in valid]).values_list(
            "name", "municipality_key"
        )
    )
    for row in valid:
        owner = names_taken.get(row.values["name"])
        if owner is not None and owner != row.key:
            preview.errors.append(
                (
                    row.line,
                    _("the name “%(name)s” belongs to the municipality with key %(key)s")
                    % {"name": row.values["name"], "key": owner},
                )
            )
            continue
        current = existing.get(row.key)
        if current is None:
            preview.created.append(row)
            continue
        for name in FIELDS:
            old, new = getattr(current, name), row.values[name]
            if old != new:
                row.changes[name] = (old, new)
        (preview.changed if row.changes else preview.unchanged).append(row)
    preview.errors.sort(key=lambda error: error[0])
    return preview


def _free_slug(name: str, taken: set[str]) -> str:
    base = slug_for(name)[:110] or "kommune"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def municipality_import_apply(*, rows: list[dict]) -> ImportPreview:
    """Create and update the municipalities of the rows, all or nothing.

    The preview is made again inside the transaction, since the list may have changed since
    the person looked at it; any wrong line raises MunicipalityImportRefused and writes nothing.
    """
    with transaction.atomic():
        # One import at a time: the second waits, then sees the first one's rows.
        list(Municipality.objects.select_for_update().order_by("pk").values_list("pk"))
        preview = municipality_import_preview(rows=rows)
        if not preview.ok:
            raise MunicipalityImportRefused(
                _("The file has errors; nothing was changed."), errors=preview.errors
            )
        taken = set(Municipality.objects.values_list("slug", flat=True))
        Municipality.objects.bulk_create(
            [
                Municipality(
                    municipality_key=row.key,
                    slug=_free_slug(row.values["name"], taken),
                    **row.values,
                )
                for row in preview.created
            ]
        )
        current = Municipality.objects.in_bulk(
            [row.key for row in preview.changed], field_name="municipality_key"
        )
        for row in preview.changed:
            municipality = current[row.key]
            for name, (_old, new) in row.changes.items():
                setattr(municipality, name, new)
        Municipality.objects.bulk_update(list(current.values()), list(FIELDS))
        municipalities_changed()
    return preview
