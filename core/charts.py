"""The one bar chart of the platform: the geometry of a horizontal bar chart that
templates/includes/bar_chart.html draws as SVG (the reports, the evaluation results). Long labels
wrap onto several lines and their bar grows with them, so no label is ever cut off."""

from collections.abc import Iterable

# Characters per line of a bar label before it wraps (the label column is 260 px at 13 px).
LABEL_CHARS = 34
LINE_HEIGHT = 16
LABEL_WIDTH = 260


def wrap_label(text: str, width: int = LABEL_CHARS) -> list[str]:
    """Split a label into lines of at most `width` characters at spaces, breaking only words
    longer than a line; nothing is cut off."""
    lines: list[str] = []
    current = ""
    for word in str(text).split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current or not lines:
        lines.append(current)
    return lines


def bar_chart(bars: Iterable[tuple[str, object]], *, width: int = 640) -> dict:
    """Geometry of a horizontal bar chart of (label, value) pairs, for the shared template."""
    bars = list(bars)
    values = [float(value or 0) for _label, value in bars]
    top = max(values, default=0) or 1
    drawn = []
    y = 0
    for (label, shown), value in zip(bars, values, strict=True):
        lines = wrap_label(label)
        height = max(28, len(lines) * LINE_HEIGHT + 10)
        length = int((width - LABEL_WIDTH - 70) * value / top)
        first_line_y = y + (height - len(lines) * LINE_HEIGHT) // 2 + 12
        drawn.append(
            {
                "lines": lines,
                "label": " ".join(lines),
                "value": shown,
                "y": y,
                "text_y": first_line_y,
                "value_y": y + height // 2 + 5,
                "bar_y": y + (height - 20) // 2,
                "width": max(length, 1) if value else 0,
                "value_x": LABEL_WIDTH + length + 6,
            }
        )
        y += height
    return {
        "bars": drawn,
        "width": width,
        "height": max(y, 28),
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "line_height": LINE_HEIGHT,
        "bar_height": 20,
    }
