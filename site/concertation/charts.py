"""Bar charts built on the server: the figures here, the drawing in the template
`concertation/_bar_chart.html`.

No JavaScript and no charting library: the page is complete as served and prints. A
chart is a list of rows — a label, a bar, the value — whose text is HTML, so it wraps and
keeps the page's type size on a phone (an SVG of the whole chart scaled down to a
phone's width shrank its labels to 6 px); only the bar itself is a small SVG stretched to
its share of the row. The values are written by the same formatter as the table beside
the chart (`concertation.formats`), so a chart never says "2114000" beside
"$2,114,000.00", and every chart on a page links to that table, its text alternative.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import formats

Number = int | float | Decimal
Formatter = Callable[[Number], str]


@dataclass(frozen=True)
class Datum:
    """One value to draw; `highlight` draws it in the warning colour (overloaded, money
    moved away), with the chart's `highlight_label` beside it so colour is not the only
    sign."""

    label: str
    value: Number
    highlight: bool = False


@dataclass(frozen=True)
class Bar:
    """A row of the chart: its label, its value as text, and the bar's length as a
    percentage of the largest value's."""

    label: str
    text: str
    highlight: bool
    share: float


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    highlight_label: str = ""

    @property
    def description(self) -> str:
        """Every value in words, on one line."""
        return "; ".join(f"{bar.label}: {bar.text}" for bar in self.bars)

    def __bool__(self) -> bool:
        return bool(self.bars)


def hours(value: Number) -> str:
    """Hours as the tables write them: two places."""
    return formats.number(value, 2)


def bar_chart(
    title: str,
    data: Sequence[Datum],
    *,
    text: Formatter = hours,
    highlight_label: str = "",
) -> BarChart:
    """One row per datum, in the order given; the largest value fills its row and a
    negative or zero value draws no bar. `text` writes each value (`formats.money` for
    amounts)."""
    largest = max((float(datum.value) for datum in data), default=0.0)
    bars = tuple(
        Bar(
            label=datum.label,
            text=text(datum.value),
            highlight=datum.highlight,
            share=round(max(float(datum.value), 0.0) * 100 / largest, 1) if largest > 0 else 0.0,
        )
        for datum in data
    )
    return BarChart(title=title, bars=bars, highlight_label=highlight_label)
