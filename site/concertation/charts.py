"""Bar charts drawn on the server as SVG: the geometry here, the drawing in the
template `concertation/_bar_chart.html`.

No JavaScript and no charting library: the page is complete as served, prints, and
reads the same with a screen reader, which gets the chart's title, a description listing
every value, and (on the pages that use it) the same numbers in a table next to it.
Values are formatted here in the visitor's language; the coordinates are plain numbers
the template writes with localization off, since SVG wants "12.5", never "12,5".
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format

# Horizontal bars (one row per organization, sector or region).
ROW_HEIGHT = 22
ROW_GAP = 6
LABEL_WIDTH = 230
VALUE_WIDTH = 70
CHART_WIDTH = 640
LABEL_CHARACTERS = 28
# Columns (one per month).
COLUMN_WIDTH = 64
COLUMN_GAP = 12
PLOT_HEIGHT = 160
TOP_MARGIN = 20
BOTTOM_MARGIN = 26


@dataclass(frozen=True)
class Datum:
    """One value to draw; `highlight` draws it in the warning colour (overloaded)."""

    label: str
    value: float
    highlight: bool = False


@dataclass(frozen=True)
class Bar:
    """A bar with its label and value text, placed in the chart's coordinates."""

    label: str
    short_label: str
    text: str
    highlight: bool
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    horizontal: bool
    # The line the bars start from: (x1, y1, x2, y2).
    axis: tuple[float, float, float, float] = (0, 0, 0, 0)

    @property
    def description(self) -> str:
        """Every value in words, for assistive technology."""
        return "; ".join(f"{bar.label}: {bar.text}" for bar in self.bars)

    def __bool__(self) -> bool:
        return bool(self.bars)


def _text(value: float, decimals: int, unit: str) -> str:
    number = number_format(round(value, decimals), decimal_pos=decimals)
    return f"{number} {unit}".strip()


def _shortened(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _scale(data: Sequence[Datum], length: float) -> float:
    """Units of length per unit of value: the largest value fills `length`."""
    largest = max((datum.value for datum in data), default=0)
    return length / largest if largest > 0 else 0.0


def horizontal_bars(
    title: str, data: Sequence[Datum], *, unit: str = "", decimals: int = 2
) -> BarChart:
    """One row per datum, in the order given: the label on the left, the bar, then the
    value."""
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    scale = _scale(data, plot)
    bars = []
    for index, datum in enumerate(data):
        y = index * (ROW_HEIGHT + ROW_GAP)
        length = round(max(datum.value, 0) * scale, 1)
        middle = y + ROW_HEIGHT / 2 + 4
        bars.append(
            Bar(
                label=datum.label,
                short_label=_shortened(datum.label, LABEL_CHARACTERS),
                text=_text(datum.value, decimals, unit),
                highlight=datum.highlight,
                x=LABEL_WIDTH,
                y=y,
                width=length,
                height=ROW_HEIGHT,
                label_x=LABEL_WIDTH - 6,
                label_y=middle,
                text_x=LABEL_WIDTH + length + 6,
                text_y=middle,
            )
        )
    height = max(len(data) * (ROW_HEIGHT + ROW_GAP) - ROW_GAP, 0)
    return BarChart(
        title=title,
        bars=tuple(bars),
        width=CHART_WIDTH,
        height=height,
        horizontal=True,
        axis=(LABEL_WIDTH, 0, LABEL_WIDTH, height),
    )


def columns(title: str, data: Sequence[Datum], *, unit: str = "", decimals: int = 1) -> BarChart:
    """One column per datum, left to right (months, oldest first): the value above,
    the label below."""
    scale = _scale(data, PLOT_HEIGHT)
    baseline = TOP_MARGIN + PLOT_HEIGHT
    bars = []
    for index, datum in enumerate(data):
        x = COLUMN_GAP / 2 + index * (COLUMN_WIDTH + COLUMN_GAP)
        length = round(max(datum.value, 0) * scale, 1)
        middle = x + COLUMN_WIDTH / 2
        bars.append(
            Bar(
                label=datum.label,
                short_label=_shortened(datum.label, 12),
                text=_text(datum.value, decimals, unit),
                highlight=datum.highlight,
                x=x,
                y=round(baseline - length, 1),
                width=COLUMN_WIDTH,
                height=length,
                label_x=middle,
                label_y=baseline + 16,
                text_x=middle,
                text_y=round(baseline - length - 5, 1),
            )
        )
    width = len(data) * (COLUMN_WIDTH + COLUMN_GAP)
    return BarChart(
        title=title,
        bars=tuple(bars),
        width=width,
        height=TOP_MARGIN + PLOT_HEIGHT + BOTTOM_MARGIN,
        horizontal=False,
        axis=(0, baseline, width, baseline),
    )
