"""An SVG bar chart of peer workers per région, readable without any script or font."""

from html import escape

from ..disclosure.suppression import SUPPRESSED
from ..reads.census_statistics import RegionFigures

_BAR_HEIGHT = 22
_LABEL_WIDTH = 260
_BAR_WIDTH = 420
_MARGIN = 16


def peer_workers_per_region(regions: list[RegionFigures], title: str) -> str:
    counts = [r.peer_workers for r in regions]
    largest = max((c for c in counts if c != SUPPRESSED), default=0) or 1
    height = _MARGIN * 3 + _BAR_HEIGHT * len(regions) + 20
    width = _LABEL_WIDTH + _BAR_WIDTH + 140
    rows = []
    for index, region in enumerate(sorted(regions, key=_order)):
        y = _MARGIN * 2 + 20 + index * _BAR_HEIGHT
        label = f'<text x="{_LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(region.name)}</text>'
        if region.peer_workers == SUPPRESSED:
            # Shown as such, never as zero: the count exists but is too small to publish.
            bar = (
                f'<rect x="{_LABEL_WIDTH}" y="{y + 3}" width="60" height="{_BAR_HEIGHT - 6}" '
                'fill="url(#hatch)" stroke="#888"/>'
                f'<text x="{_LABEL_WIDTH + 68}" y="{y + 15}" fill="#555">suppressed (small count)</text>'
            )
        else:
            length = round(_BAR_WIDTH * region.peer_workers / largest)
            share = f" ({region.share_of_peer_workers:.0%})" if region.peer_workers else ""
            bar = (
                f'<rect x="{_LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{_BAR_HEIGHT - 6}" fill="#2a6f97"/>'
                f'<text x="{_LABEL_WIDTH + length + 6}" y="{y + 15}">{region.peer_workers}{share}</text>'
            )
        rows.append(label + bar)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">'
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#aaa" stroke-width="2"/>'
        "</pattern></defs>"
        f'<rect width="{width}" height="{height}" fill="white"/>'
        f'<text x="{_MARGIN}" y="{_MARGIN + 12}" font-size="16" font-weight="bold">{escape(title)}</text>'
        + "".join(rows)
        + "</svg>"
    )


def _order(region: RegionFigures) -> tuple[int, int, str]:
    """Largest first, then the suppressed (one or more each), then the zeros; by name."""
    if region.peer_workers == SUPPRESSED:
        return (1, 0, region.name)
    return (0 if region.peer_workers else 2, -region.peer_workers, region.name)
