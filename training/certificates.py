"""The certificate of attendance (Teilnahmebescheinigung) as a PDF a municipality files, built
with fpdf2: the issuing Landesjugendamt with its address, the programme's logo, who attended
what (the module and its contents in one line, the date's hours), the date of issue, a signature
line with the course manager's name and function, and the address that verifies the number.

Every block is laid out below the previous one and wraps, so no length of name or title makes
two texts overlap (tests/training/test_certificate.py reads the boxes back with poppler).
"""

from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import override
from fpdf import FPDF

from training.models import Certificate, CourseDate, Provider
from training.services.certificates import certificate_verify_url

MARGIN = 20  # mm
LOGO = Path(__file__).resolve().parent / "static" / "training" / "logo.png"
LOGO_WIDTH = 62  # mm; the PNG is 1200 × 320 px
CONTENTS_MAX = 160  # characters of the course summary printed as its contents

# The issuing Landesjugendämter, as printed at the top of a certificate.
ISSUERS = {
    Provider.LVR: (
        "Landschaftsverband Rheinland",
        "LVR-Landesjugendamt Rheinland",
        "Kennedy-Ufer 2",
        "50679 Köln",
    ),
    Provider.LWL: (
        "Landschaftsverband Westfalen-Lippe",
        "LWL-Landesjugendamt Westfalen",
        "Warendorfer Straße 25–27",
        "48145 Münster",
    ),
}

FONT_CANDIDATES = [
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
]


def register_font(pdf: FPDF) -> tuple[str, bool]:
    """Register a Unicode font if one is installed; returns (family, unicode)."""
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).exists() and Path(bold).exists():
            pdf.add_font("Body", "", regular)
            pdf.add_font("Body", "B", bold)
            return "Body", True
    return "Helvetica", False


def plain(text: str, unicode: bool) -> str:
    if unicode:
        return text
    return (
        text.replace("–", "-")
        .replace("„", '"')
        .replace("“", '"')
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def date_span(course_date: CourseDate) -> str:
    """ "3. März 2026", or "3. März 2026 – 5. März 2026" for a date over several days."""
    start = timezone.localtime(course_date.start)
    end = timezone.localtime(course_date.end)
    if start.date() == end.date():
        return date_format(start.date(), "j. F Y")
    return f"{date_format(start.date(), 'j. F Y')} – {date_format(end.date(), 'j. F Y')}"


def module_line(course_date: CourseDate) -> str:
    """The module and its contents in one line (the summary, shortened, without line breaks)."""
    course = course_date.course
    module = course.module_title or course.get_kind_display()
    contents = " ".join(course.summary.split())
    if not contents:
        return module
    return f"{module}: {Truncator(contents).chars(CONTENTS_MAX)}"


def certificate_pdf_bytes(*, certificate: Certificate) -> bytes:
    registration = certificate.registration
    course_date = certificate.course_date
    course = course_date.course
    participant = registration.participant
    manager = certificate.issued_by
    issuer = ISSUERS.get(course.provider, ("", course.get_provider_display(), "", ""))
    with override("de"):
        fields = [
            (_("Participant"), participant.name or participant.display_name),
            (_("Course"), course.title),
            (_("Module and contents"), module_line(course_date)),
            (_("Date"), date_span(course_date)),
            (_("Hours"), _hours_text(course_date.effective_hours)),
            (_("Certificate number"), certificate.number),
        ]
        title = _("Certificate of attendance")
        intro = _(
            "This certifies participation in the training and qualification programme of the "
            "state programme „kinderstark – NRW schafft Chancen“."
        )
        issued = _("Issued on %(date)s") % {
            "date": date_format(timezone.localtime(certificate.issued_at).date(), "j. F Y")
        }
        signer = (manager.name or manager.display_name) if manager else ""
        role = ", ".join(part for part in [manager.function if manager else "", issuer[1]] if part)
        verify = _("Verify this certificate at")
        verify_url = certificate_verify_url(certificate.number)

    pdf = FPDF(format="A4")
    pdf.set_title(str(title))
    pdf.set_author(issuer[1])
    pdf.set_lang("de")
    family, unicode = register_font(pdf)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_page()
    width = pdf.epw

    def block(text, *, style="", size, height, gap=0, w=0, align="L", color=(0, 0, 0)):
        # Full width (or `w`), each block below the previous one: long texts wrap.
        pdf.set_text_color(*color)
        pdf.set_font(family, style, size)
        pdf.multi_cell(
            w, height, plain(str(text), unicode), align=align, new_x="LMARGIN", new_y="NEXT"
        )
        if gap:
            pdf.ln(gap)

    # Head: the logo on the left, the issuer with its address on the right, side by side.
    pdf.image(str(LOGO), x=MARGIN, y=MARGIN, w=LOGO_WIDTH)
    logo_bottom = MARGIN + LOGO_WIDTH * 320 / 1200
    issuer_left = MARGIN + LOGO_WIDTH + 8
    pdf.set_xy(issuer_left, MARGIN)
    pdf.set_font(family, "B", 9)
    pdf.multi_cell(width - LOGO_WIDTH - 8, 4.5, plain(issuer[0], unicode), align="R", new_x="LEFT")
    pdf.set_font(family, "", 9)
    for line in issuer[1:]:
        pdf.set_x(issuer_left)
        pdf.multi_cell(width - LOGO_WIDTH - 8, 4.5, plain(line, unicode), align="R", new_x="LEFT")
    pdf.set_y(max(pdf.get_y(), logo_bottom) + 14)

    block(title, style="B", size=22, height=11, gap=3)
    block(intro, size=10.5, height=5.5, gap=6)
    for label, value in fields:
        block(label, size=8.5, height=4.5, color=(80, 80, 80))
        # The contents read as running text; the other values stand out.
        bold = "" if label == fields[2][0] else "B"
        block(value, style=bold, size=11.5 if bold else 10.5, height=6 if bold else 5.5, gap=3)
    pdf.ln(3)
    block(issued, size=10.5, height=5.5)

    # The signature: space to sign, a rule, the course manager's name and function below it.
    pdf.ln(16)
    if pdf.will_page_break(20):
        pdf.add_page()
    y = pdf.get_y()
    pdf.set_draw_color(0, 0, 0)
    pdf.line(MARGIN, y, MARGIN + 80, y)
    pdf.ln(1.5)
    if signer:
        block(signer, size=10, height=5, w=width)
    block(role, size=9, height=4.5, w=width, color=(80, 80, 80))

    pdf.ln(10)
    block(verify, size=8.5, height=4.5, color=(80, 80, 80))
    block(verify_url, size=8.5, height=4.5)
    return bytes(pdf.output())


def _hours_text(hours) -> str:
    """12 → "12", 3.5 → "3,5" (never "12,0")."""
    value = Decimal(str(hours)).normalize()
    return f"{value:f}".replace(".", ",")
