"""The certificate of attendance (Teilnahmebescheinigung) as a PDF, built with fpdf2.

A TrueType font from the system (DejaVu Sans or Liberation Sans) carries the umlauts; without one,
fpdf2's core Helvetica is used and the text is transliterated to Latin-1.
"""

from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from fpdf import FPDF

from training.models import Registration

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
        hours = f"{course.hours:g}".replace(".", ",")
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
        verify = _("Verify this certificate: %(url)s") % {
            "url": f"{settings.SITE_URL}/fortbildung/bescheinigung/pruefen/"
            f"?nummer={registration.certificate_number}"
        }

    pdf = FPDF(format="A4")
    pdf.set_title(str(title))
    pdf.set_author("kinderstark Lernnetzwerk")
    pdf.set_lang("de")
    family, unicode = _font(pdf)
    pdf.add_page()
    pdf.set_margins(25, 25, 25)
    pdf.set_y(35)
    pdf.set_font(family, "B", 24)
    pdf.cell(0, 14, _plain(str(title), unicode), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 11)
    pdf.multi_cell(0, 6, _plain(str(intro), unicode), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    for label, value in lines:
        pdf.set_font(family, "B", 11)
        pdf.cell(55, 8, _plain(str(label), unicode))
        pdf.set_font(family, "", 11)
        pdf.multi_cell(0, 8, _plain(str(value), unicode), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font(family, "", 9)
    pdf.multi_cell(0, 5, _plain(str(verify), unicode), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
