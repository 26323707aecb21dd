"""Peers' collective organisation as published: each year a row of places and its total,
counts of people protected, the rest exact."""

from datetime import date

from peerwork_reporting.disclosure.suppression import SUPPRESSED, Revision
from peerwork_reporting.reads.collective_reads import NATIONAL, CollectiveCell
from peerwork_reporting.reads.collective_statistics import collective_figures, protect_each_year, protect_year

DAY = date(2022, 12, 31)
CELLS = [
    CollectiveCell(2022, "84", networks=3, meetings=10, hours=30, peer_workers=40, others=25),
    CollectiveCell(2022, "11", networks=1, meetings=2, hours=4, peer_workers=3, others=0),
    CollectiveCell(2022, NATIONAL, networks=1, meetings=1, hours=6, peer_workers=22, others=14),
]


def test_a_small_count_is_hidden_with_another_and_the_rest_is_exact():
    figures = collective_figures(CELLS, DAY)
    total, places = protect_year(figures, 2022, threshold=10)
    by_code = {p.code: p for p in places}
    assert by_code["11"].peer_worker_participants == SUPPRESSED
    # One hidden figure alone would be the total minus the others: the smallest goes with it.
    assert by_code[NATIONAL].peer_worker_participants == SUPPRESSED
    assert (total.peer_worker_participants, by_code["84"].peer_worker_participants) == (65, 40)
    assert by_code["11"].other_participants == 0  # nobody: published
    assert (by_code["11"].meetings, by_code["11"].hours, total.networks) == (2, 4.0, 5)


def test_a_revision_keeps_hidden_what_did_not_move_and_hides_a_small_move():
    figures = collective_figures(CELLS, DAY)
    exact = {"collective.by_region.84-2022.peer_worker_participants": 38,
             "collective.years.2022.peer_worker_participants": 63}
    published = {"collective.by_region.11-2022.peer_worker_participants": SUPPRESSED}
    _, places = protect_year(figures, 2022, 10, Revision(exact=exact, published=published))
    by_code = {p.code: p for p in places}
    assert by_code["84"].peer_worker_participants == SUPPRESSED  # moved by 2 people
    assert by_code["11"].peer_worker_participants == SUPPRESSED


def test_the_any_day_figures_protect_each_year_on_its_own():
    cells = [*CELLS, CollectiveCell(2021, "84", networks=2, meetings=3, hours=9, peer_workers=5, others=30)]
    figures = protect_each_year(collective_figures(cells, DAY), threshold=10)
    lone = next(y for y in figures.years if y.year == 2021)
    assert (lone.peer_worker_participants, lone.other_participants) == (SUPPRESSED, 30)
    assert figures.exact is False
