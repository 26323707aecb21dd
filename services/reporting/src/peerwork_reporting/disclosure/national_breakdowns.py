"""Which national counts of people by domain of intervention, and of the employed by their
employer's sector, the census publishes (see ``suppression`` for the promise, ``census`` for
the places).

Domains of intervention are published nationally only, each as one count: a domain is hidden
when it, or the number of peer workers without it, is small (or moved little); one hidden
domain alone is joined by the smallest other. Giving a hidden domain's people another hidden
domain instead changes nothing published, so it may be 0 (or everyone).

The employed by their employer's sector are published nationally only, in the same way,
against the employed: a sector is hidden when it, or the number employed outside it, is
small (or moved little), and one hidden sector alone is joined by the smallest other. One
employed in two sectors counts in both, so no sum of sectors is a published total; and one
alone, the rest hidden, may still be any number of them.
"""

from collections.abc import Mapping

from .suppression import Revision, small


def hidden_domains(
    domains: Mapping[str, int],
    peer_workers: int,
    threshold: int,
    nation_hidden: bool,
    revision: Revision | None = None,
) -> set[str]:
    """The national counts by domain published as "suppressed"."""
    return _hidden_parts("peer_workers_by_domain", domains, peer_workers, threshold, nation_hidden, revision)


def hidden_sectors(
    sectors: Mapping[str, int],
    employed: int,
    threshold: int,
    nation_hidden: bool,
    revision: Revision | None = None,
) -> set[str]:
    """The national counts of the employed by their employer's sector published as "suppressed"."""
    return _hidden_parts("employed_by_sector", sectors, employed, threshold, nation_hidden, revision)


def _hidden_parts(
    figure: str,
    parts: Mapping[str, int],
    whole: int,
    threshold: int,
    nation_hidden: bool,
    revision: Revision | None,
) -> set[str]:
    """The parts of a national count of people (``figure``: the release's name for them)
    to suppress: each published with ``whole`` gives away those outside it too."""
    if nation_hidden:
        return set(parts)

    def primary(part: str, count: int) -> bool:
        if small(count, threshold) or small(whole - count, threshold):
            return True
        if revision is None:
            return False
        path = f"national.{figure}.{part}"
        change = revision.change(path, count)
        return small(change, threshold) or (revision.hid(path) and not change)

    hidden = {part for part, count in parts.items() if primary(part, count)}
    if len(hidden) == 1:
        others = sorted((count, part) for part, count in parts.items() if part not in hidden)
        hidden.add(others[0][1])
    return hidden
