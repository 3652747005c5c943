"""Reading the bar charts of `concertation/_bar_chart.html` back from a page, for tests."""

import re


def _text(html: str) -> str:
    """The text of `html`, runs of ASCII white space made one space (a no-break space,
    part of a French amount, is kept)."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def chart_html(content: str, chart_id: str) -> str:
    """The chart's figure, from its opening tag to its end."""
    found = content[content.index(f'<figure class="chart" id="{chart_id}"') :]
    return found[: found.index("</figure>")]


def chart_bars(content: str, chart_id: str) -> list[tuple[str, str]]:
    """Each bar of the chart as (label, value), in the page's order."""
    rows = re.findall(
        r'<span class="chart-label">(.*?)</span>.*?<span class="chart-value">(.*?)</span>',
        chart_html(content, chart_id),
        flags=re.S,
    )
    return [(_text(label), _text(value)) for label, value in rows]
