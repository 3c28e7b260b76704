"""The results as a spreadsheet: one sheet of scale questions, one of free texts. Below the
threshold both say so and hold no figure."""

import io

from django.utils.translation import gettext as _

from training.evaluation.selectors import Results


def _cell(value):
    """Spreadsheet programs run cells starting with = + - @ as formulas; quote them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def too_few_text(*, count: int, minimum: int) -> str:
    return _("Too few answers yet (%(count)s of %(minimum)s)") % {
        "count": count,
        "minimum": minimum,
    }


def results_xlsx(results: Results, *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    scales = workbook.active
    scales.title = _("Scales")[:31]
    scales.append([title])
    scales["A1"].font = Font(bold=True)
    if not results.shown:
        scales.append([too_few_text(count=results.total, minimum=results.minimum)])
    else:
        scales.append([_("Answers"), results.answers, _("Dates"), results.dates_counted])
        if results.dates_withheld:
            scales.append(
                [
                    _("Dates with fewer than %(minimum)s answers are not included: %(count)s")
                    % {"minimum": results.minimum, "count": results.dates_withheld}
                ]
            )
        scales.append([])
        header = [_("Question"), _("Answers"), _("Average (1–5)")]
        header += [str(v) for v in range(5, 0, -1)]
        scales.append(header)
        for cell in scales[scales.max_row]:
            cell.font = Font(bold=True)
        for scale in results.scales:
            if not scale.shown:
                scales.append(
                    [_cell(scale.label), too_few_text(count=scale.n, minimum=results.minimum)]
                )
                continue
            scales.append(
                [_cell(scale.label), scale.n, round(scale.average, 2)]
                + [row["count"] for row in scale.distribution]
            )
    scales.column_dimensions["A"].width = 60
    texts = workbook.create_sheet(_("Free texts")[:31])
    texts.append([_("Question"), _("Answer")])
    for cell in texts[1]:
        cell.font = Font(bold=True)
    if results.shown:
        for text in results.texts:
            if not text.shown:
                texts.append(
                    [_cell(text.label), too_few_text(count=text.n, minimum=results.minimum)]
                )
                continue
            for answer in text.texts:
                texts.append([_cell(text.label), _cell(answer)])
    else:
        texts.append([too_few_text(count=results.total, minimum=results.minimum)])
    texts.column_dimensions["A"].width = 40
    texts.column_dimensions["B"].width = 80
    for row in texts.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
