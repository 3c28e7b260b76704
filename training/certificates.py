"""The certificate of attendance (Teilnahmebescheinigung) as a PDF, built with fpdf2.

A TrueType font from the system (DejaVu Sans or Liberation Sans) carries the umlauts; without one,
fpdf2's core Helvetica is used and the text is transliterated to Latin-1.
"""

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from fpdf import FPDF

from training.models import Registration

MARGIN = 25  # mm

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


def _font(pdf: FPDF) -> tuple[str, bool]:
    """Register a Unicode font if one is installed; returns (family, unicode)."""
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).exists() and Path(bold).exists():
            pdf.add_font("Body", "", regular)
            pdf.add_font("Body", "B", bold)
            return "Body", True
    return "Helvetica", False


def _plain(text: str, unicode: bool) -> str:
    if unicode:
        return text
    return (
        text.replace("–", "-")
        .replace("„", '"')
        .replace("“", '"')
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def certificate_pdf_bytes(*, registration: Registration) -> bytes:
    course_date = registration.course_date
    course = course_date.course
    start = timezone.localtime(course_date.start)
    end = timezone.localtime(course_date.end)
    with override("de"):
        if start.date() == end.date():
            when = date_format(start.date(), "j. F Y")
        else:
            when = f"{date_format(start.date(), 'j. F Y')} – {date_format(end.date(), 'j. F Y')}"
        hours = _hours_text(course_date.effective_hours)
        lines = [
            (
                _("Participant"),
                registration.participant.name or registration.participant.display_name,
            ),
            (_("Course"), course.title),
            (_("Curriculum module"), course.module_title or course.get_kind_display()),
            (_("Date"), when),
            (_("Hours"), hours),
            (_("Provider"), course.get_provider_display()),
            (_("Certificate number"), registration.certificate_number),
        ]
        title = _("Certificate of attendance")
        intro = _(
            "This certifies participation in the training and qualification programme of the "
            "state programme „kinderstark – NRW schafft Chancen“."
        )
        verify = _("Verify this certificate at")
        verify_url = (
            f"{settings.SITE_URL}{reverse('training:certificate_verify')}"
            f"?nummer={registration.certificate_number}"
        )

    pdf = FPDF(format="A4")
    pdf.set_title(str(title))
    pdf.set_author("kinderstark Lernnetzwerk")
    pdf.set_lang("de")
    family, unicode = _font(pdf)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_page()
    pdf.set_y(35)

    def block(text: str, *, style: str = "", size: float, height: float, gap: float = 0) -> None:
        # Left-aligned, full width, each block below the previous one: long names and module
        # titles wrap instead of running into a neighbour.
        pdf.set_font(family, style, size)
        pdf.multi_cell(
            0, height, _plain(str(text), unicode), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        if gap:
            pdf.ln(gap)

    block(title, style="B", size=24, height=12, gap=4)
    block(intro, size=11, height=6, gap=8)
    for label, value in lines:
        pdf.set_text_color(80, 80, 80)
        block(label, size=9, height=5)
        pdf.set_text_color(0, 0, 0)
        block(value, style="B", size=12, height=6.5, gap=4)
    pdf.ln(8)
    block(verify, size=9, height=5)
    block(verify_url, size=9, height=5)
    return bytes(pdf.output())


def _hours_text(hours) -> str:
    """12 → "12", 3.5 → "3,5" (never "12,0")."""
    value = Decimal(str(hours)).normalize()
    return f"{value:f}".replace(".", ",")
