"""The annual report as a funder reads it: a French web page made of sections, each a
title, a few sentences, its charts and its tables, from the figures a release published.
A section is one entry of ``SECTIONS``. The same page is printed to PDF."""

from jinja2 import Environment, PackageLoader, select_autoescape

from . import activity_sections, census_sections, french, method_note
from .layout import Context

SECTIONS = [*census_sections.SECTIONS, *activity_sections.SECTIONS, method_note.SECTION]

_TEMPLATES = Environment(
    loader=PackageLoader("peerwork_reporting.report", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(context: Context, links: dict[str, str]) -> str:
    """The page; ``links``: the downloads (label → URL)."""
    sections = [(s, s.content(context)) for s in SECTIONS]
    return _TEMPLATES.get_template("annual_report.html").render(
        report=context.report, threshold=context.threshold, sections=sections, links=links,
        secret=french.SECRET,
    )
