"""Peer workers' histories read from the views and written back (``peer_worker_histories``).

The census needs the history before and after the batch (``census_contributions``): kept in
memory, it is not read back after the batch, and the histories of a whole batch are read in
three queries rather than three per peer worker. A history is written back whole: its rows
are replaced, or deleted for an erased peer worker.
"""

from collections.abc import Iterator

from peerwork_contracts import registry as events

from ..ports import Cursor
from .peer_worker_histories import Employment, History, Spell

_CHUNK = 500  # ids per IN (...) list: well under either database's limit on parameters


def load(cur: Cursor, batch: dict[str, list[events.Event]]) -> dict[str, History]:
    """The histories of the peer workers with events in ``batch`` (by peer worker, in
    order), before those events. One whose first event there is their first ever
    (aggregate version 1: their registration) has none yet, and is not looked for: in a
    rebuild, that spares most of the reading."""
    histories = {peer_worker_id: History() for peer_worker_id in batch}
    known = [peer_worker_id for peer_worker_id, of_them in batch.items() if of_them[0].aggregate_version > 1]
    _read(cur, histories, known)
    return histories


def employed_by(cur: Cursor, structure_id: str) -> dict[str, History]:
    """The stored histories of the peer workers ever employed by the structure (the erased
    have none: what they counted for stays as it is)."""
    ids = [peer_worker_id for (peer_worker_id,) in cur.execute(
        "SELECT DISTINCT peer_worker_id FROM employments WHERE structure_id = ?", (structure_id,)
    ).fetchall()]
    histories = {peer_worker_id: History() for peer_worker_id in ids}
    _read(cur, histories, ids)
    return histories


def _read(cur: Cursor, histories: dict[str, History], known: list[str]) -> None:
    for ids, placeholders in chunks(known):
        for peer_worker_id, departement, starts_on, ends_on in cur.execute(
            "SELECT peer_worker_id, departement, starts_on, ends_on FROM peer_worker_spells "
            f"WHERE peer_worker_id IN ({placeholders})",
            ids,
        ).fetchall():
            histories[peer_worker_id].spells.append(Spell(departement, starts_on, ends_on))
        for peer_worker_id, domain in cur.execute(
            f"SELECT peer_worker_id, domain FROM peer_worker_domains WHERE peer_worker_id IN ({placeholders})",
            ids,
        ).fetchall():
            histories[peer_worker_id].domains.append(domain)
        for employment_id, peer_worker_id, structure_id, starts_on, ends_on in cur.execute(
            "SELECT employment_id, peer_worker_id, structure_id, starts_on, ends_on FROM employments "
            f"WHERE peer_worker_id IN ({placeholders})",
            ids,
        ).fetchall():
            histories[peer_worker_id].employments[employment_id] = Employment(
                structure_id, starts_on, ends_on
            )
    for history in histories.values():
        history.stored = bool(history.spells or history.domains or history.employments)


def save(cur: Cursor, histories: dict[str, History]) -> None:
    """Replaces the peer workers' rows with their histories (none for the erased)."""
    stored = [peer_worker_id for peer_worker_id, history in histories.items() if history.stored]
    for ids, placeholders in chunks(stored):
        for table in ("peer_worker_spells", "peer_worker_domains", "employments"):
            cur.execute(f"DELETE FROM {table} WHERE peer_worker_id IN ({placeholders})", ids)
    items = [(peer_worker_id, history) for peer_worker_id, history in histories.items() if not history.erased]
    cur.executemany("INSERT INTO peer_worker_spells VALUES (?, ?, ?, ?)", [
        (peer_worker_id, spell.departement, spell.starts_on, spell.ends_on)
        for peer_worker_id, history in items for spell in history.spells
    ])
    cur.executemany("INSERT INTO peer_worker_domains VALUES (?, ?)", [
        (peer_worker_id, domain) for peer_worker_id, history in items for domain in history.domains
    ])
    cur.executemany("INSERT INTO employments VALUES (?, ?, ?, ?, ?)", [
        (employment_id, peer_worker_id, employment.structure_id, employment.starts_on, employment.ends_on)
        for peer_worker_id, history in items for employment_id, employment in history.employments.items()
    ])


def chunks(ids: list[str]) -> Iterator[tuple[list[str], str]]:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        yield chunk, ", ".join("?" * len(chunk))
