"""The report's charts: Vega-Altair specifications rendered to SVG offline by vl-convert
(no browser, no network), titled in French, each with its alternative text inside the SVG
(role="img", aria-label and <title>) so that a screen reader, the page and the PDF say
what it shows. A suppressed figure is left out of a chart and named in its text."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from ..disclosure.suppression import SUPPRESSED
from . import french

if TYPE_CHECKING:  # imported when a chart is first drawn (``exports.pdf`` says why)
    import altair as alt

_COLOUR = "#2a6f97"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Any  # a count, or SUPPRESSED


def bars(title: str, axis: str, data: Sequence[Bar], ordered: bool = False) -> str:
    """Horizontal bars, largest first unless ``ordered`` (then as given)."""
    import altair as alt

    shown = [{"label": b.label, "value": b.value} for b in data if b.value != SUPPRESSED]
    order: Any = [b.label for b in data] if ordered else "-x"
    chart = (
        alt.Chart(alt.Data(values=shown), title=title, width=420)
        .mark_bar(color=_COLOUR)
        .encode(
            y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            x=alt.X("value:Q", title=axis, axis=alt.Axis(format=",d", tickMinStep=1)),
            tooltip=["label:N", "value:Q"],
        )
    )
    chart = chart + chart.mark_text(align="left", dx=4).encode(text=alt.Text("value:Q", format=",d"))
    return _svg(chart, title, _description(data))


def years(title: str, axis: str, data: Sequence[Bar]) -> str:
    """A figure year by year (``label``: the year), as a line with its points."""
    import altair as alt

    shown = [{"year": b.label, "value": b.value} for b in data if b.value != SUPPRESSED]
    chart = (
        alt.Chart(alt.Data(values=shown), title=title, width=420, height=180)
        .mark_line(color=_COLOUR, point=True)
        .encode(
            x=alt.X("year:O", title="Année", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=axis, axis=alt.Axis(format=",d", tickMinStep=1)),
        )
    )
    return _svg(chart, title, _description(data))


def _description(data: Sequence[Bar]) -> str:
    return "; ".join(f"{b.label} : {french.number(b.value)}" for b in data) or "aucune donnée"


def _svg(chart: "alt.TopLevelMixin", title: str, description: str) -> str:
    import vl_convert

    spec = chart.configure_view(stroke=None).properties(background="white").to_dict()
    svg = vl_convert.vegalite_to_svg(spec, format_locale="fr-FR", time_format_locale="fr-FR")
    text = f"{title}. {description}"
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return re.sub(
        r"<svg\b",
        f'<svg role="img" aria-label="{escape(text)}"',
        svg,
        count=1,
    ).replace(">", f"><title>{escape(text)}</title>", 1)
