"""The Unterschriftenliste (signature list) of an in-person date, as a PDF to print before it:
title, date(s), venue, trainers, then one row per confirmed participant with name, municipality
and a box to sign for each day. Built with fpdf2's table, whose rows grow with wrapped text, so
a long name takes two lines instead of running into the next column; headings repeat on each
page, and every page has a header and a numbered footer."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import override
from fpdf import FPDF, FontFace

from training.certificates import ISSUERS, date_span, plain, register_font
from training.models import SEAT_STATUSES, CourseDate, Registration
from training.selectors import course_date_days

MARGIN = 12  # mm


def trainer_names(course_date: CourseDate) -> str:
    return ", ".join(trainer.name for trainer in course_date.trainers.all())


class _SignaturePDF(FPDF):
    header_text = ""
    footer_text = ""
    family = "Helvetica"
    unicode = False

    def header(self):
        self.set_font(self.family, "", 8)
        self.set_text_color(80, 80, 80)
        self.set_y(6)
        self.cell(0, 4, plain(self.header_text, self.unicode), align="L")
        self.set_text_color(0, 0, 0)
        self.set_y(MARGIN)

    def footer(self):
        self.set_y(-10)
        self.set_font(self.family, "", 8)
        self.set_text_color(80, 80, 80)
        page = self.footer_text % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 4, plain(page, self.unicode), align="C")
        self.set_text_color(0, 0, 0)


def signature_list_pdf_bytes(*, course_date: CourseDate) -> bytes:
    course = course_date.course
    days = course_date_days(course_date=course_date)
    start = timezone.localtime(course_date.start)
    end = timezone.localtime(course_date.end)
    registrations = (
        Registration.objects.filter(course_date=course_date, status__in=SEAT_STATUSES)
        .select_related("participant", "municipality")
        .order_by("participant__name", "participant__email", "pk")
    )
    with override("de"):
        title = _("Signature list")
        facts = [
            (_("Course"), course.title),
            (
                _("Date"),
                f"{date_span(course_date)}, {start:%H:%M} – {end:%H:%M} " + _("o'clock"),
            ),
            (_("Venue"), course_date.venue_one_line or "–"),
            (_("Trainers"), trainer_names(course_date) or "–"),
            (_("Provider"), ISSUERS.get(course.provider, ("", course.get_provider_display()))[1]),
        ]
        headings = [_("No."), _("Name"), _("Municipality")] + [
            _("Signature %(day)s") % {"day": date_format(day, "D j.n.")}
            if len(days) > 1
            else _("Signature")
            for day in days
        ]
        rows = [
            [
                str(number),
                r.participant.name or r.participant.display_name,
                r.municipality.name if r.municipality else _("Landesjugendamt"),
                *["" for _day in days],
            ]
            for number, r in enumerate(registrations, start=1)
        ]
        header_text = f"{title} – {Truncator(course.title).chars(70)} – {date_span(course_date)}"
        footer_text = _("Page %(page)s of %(pages)s")
        empty = _("No confirmed participants.")

    pdf = _SignaturePDF(orientation="L" if len(days) > 1 else "P", format="A4")
    pdf.set_title(str(title))
    pdf.set_lang("de")
    family, unicode = register_font(pdf)
    pdf.family, pdf.unicode = family, unicode
    pdf.header_text = header_text
    pdf.footer_text = str(footer_text)
    pdf.alias_nb_pages()
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()

    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 8, plain(str(title), unicode), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    label_width = 48
    for label, value in facts:
        # Label and value side by side; the next pair starts below the taller of the two.
        y = pdf.get_y()
        pdf.set_font(family, "", 9)
        pdf.set_text_color(80, 80, 80)
        pdf.multi_cell(
            label_width - 2, 5, plain(str(label), unicode), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        below_label = pdf.get_y()
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(family, "B", 10)
        pdf.set_xy(MARGIN + label_width, y)
        pdf.multi_cell(0, 5, plain(str(value), unicode), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), below_label))
    pdf.ln(4)

    signature_width = 44 if len(days) > 1 else 60
    fixed = 10 + signature_width * len(days)
    rest = pdf.epw - fixed
    widths = (10, rest * 0.55, rest * 0.45, *([signature_width] * len(days)))
    pdf.set_font(family, "", 10)
    if not rows:
        pdf.multi_cell(0, 6, plain(str(empty), unicode), new_x="LMARGIN", new_y="NEXT")
    else:
        with pdf.table(
            col_widths=widths,
            width=pdf.epw,
            line_height=5,
            min_row_height=14,
            text_align="LEFT",
            v_align="MIDDLE",
            padding=1.5,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for text in headings:
                heading.cell(plain(str(text), unicode))
            for values in rows:
                row = table.row()
                for text in values:
                    row.cell(plain(str(text), unicode))
    return bytes(pdf.output())
