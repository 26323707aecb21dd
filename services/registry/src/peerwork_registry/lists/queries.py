"""Pages of the registry's lists: each filter one SQL condition over the view's rows.

"Now" (whether someone is employed, whether a peer worker is counted) is today's date at
the time of the read, since employments and withdrawals are dated facts.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from peerwork_common.lists.conditions import Conditions, read_page
from peerwork_common.lists.pages import Keyset, Order
from peerwork_common.lists.search import blind_index, like_pattern, search_term
from peerwork_common.lists.view import ListView, placeholders
from peerwork_contracts import geography

# Sort names as the routes take them; "-" first: newest (or last) first.
STRUCTURE_ORDERS = Keyset({
    "name": Order("name_key"),
    "-name": Order("name_key", descending=True),
    "registered_on": Order("registered_on"),
    "-registered_on": Order("registered_on", descending=True),
})
PEER_WORKER_ORDERS = Keyset({
    "registered_on": Order("registered_on"),
    "-registered_on": Order("registered_on", descending=True),
})

# An employment going on on a day (the day bound twice), as ``Employment.is_open_on`` has it.
_EMPLOYED = "e.starts_on <= ? AND (e.ends_on IS NULL OR e.ends_on > ?)"


def place(conditions: Conditions, departement: str | None, region: str | None, territory: frozenset[str] | None) -> None:
    if departement is not None:
        conditions.add("departement = ?", departement)
    if region is not None:
        conditions.within("departement", geography.region(region).departement_codes)
    if territory is not None:  # outside it, a record is as unknown as one that never was
        conditions.within("departement", territory)


@dataclass(frozen=True)
class StructureFilters:
    name: str | None = None
    siret: str | None = None
    departement: str | None = None
    region: str | None = None
    sector: str | None = None
    employing: bool | None = None


def structures(
    view: ListView, filters: StructureFilters, territory: frozenset[str] | None, today: date,
    sort: str, cursor: str | None, limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    conditions = Conditions()
    if filters.name is not None:
        conditions.add("name_key LIKE ? ESCAPE '\\'", like_pattern(search_term(filters.name, "name searched")))
    if filters.siret is not None:
        conditions.add("siret = ?", filters.siret)
    if filters.sector is not None:
        conditions.add("sector = ?", filters.sector)
    place(conditions, filters.departement, filters.region, territory)
    if filters.employing is not None:
        employed = f"SELECT 1 FROM {view.table('list_employments')} e WHERE e.structure_id = s.id AND {_EMPLOYED}"
        conditions.add(f"{'' if filters.employing else 'NOT '}EXISTS ({employed})", today.isoformat(), today.isoformat())
    select = f"SELECT * FROM {view.table('list_structures')} s"
    with view.reading() as db:
        return read_page(view, db, STRUCTURE_ORDERS, select, conditions, sort, cursor, limit)


@dataclass(frozen=True)
class PeerWorkerFilters:
    display_name: str | None = None
    departement: str | None = None
    region: str | None = None
    domain: str | None = None
    status: str | None = None  # counted or withdrawn
    structure_id: UUID | None = None  # employing them now
    registered_from: date | None = None
    registered_to: date | None = None
    legal_basis: str | None = None  # a basis, or "none" for a record that has none yet
    consent_withdrawn: bool | None = None


def peer_workers(
    view: ListView, filters: PeerWorkerFilters, name_index_key: bytes, territory: frozenset[str] | None,
    today: date, sort: str, cursor: str | None, limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    conditions = Conditions()
    day = today.isoformat()
    if filters.display_name is not None:
        term = search_term(filters.display_name, "display name searched")
        conditions.add("name_index = ?", blind_index(name_index_key, term))
    place(conditions, filters.departement, filters.region, territory)
    if filters.domain is not None:
        conditions.add(
            f"EXISTS (SELECT 1 FROM {view.table('list_peer_worker_domains')} d "
            "WHERE d.peer_worker_id = p.id AND d.domain = ?)",
            filters.domain,
        )
    if filters.status == "counted":
        conditions.add("(withdrawn_on IS NULL OR withdrawn_on > ?)", day)
    elif filters.status == "withdrawn":
        conditions.add("withdrawn_on <= ?", day)
    if filters.structure_id is not None:
        conditions.add(
            f"EXISTS (SELECT 1 FROM {view.table('list_employments')} e "
            f"WHERE e.peer_worker_id = p.id AND e.structure_id = ? AND {_EMPLOYED})",
            str(filters.structure_id), day, day,
        )
    if filters.registered_from is not None:
        conditions.add("registered_on >= ?", filters.registered_from.isoformat())
    if filters.registered_to is not None:
        conditions.add("registered_on <= ?", filters.registered_to.isoformat())
    if filters.legal_basis == "none":
        conditions.add("b.basis IS NULL")
    elif filters.legal_basis is not None:
        conditions.add("b.basis = ?", filters.legal_basis)
    if filters.consent_withdrawn is not None:
        conditions.add(f"b.consent_withdrawn_on IS {'NOT ' if filters.consent_withdrawn else ''}NULL")
    select = (
        "SELECT p.id, p.departement, p.registered_on, p.withdrawn_on, b.basis AS legal_basis, b.consent_withdrawn_on "
        f"FROM {view.table('list_peer_workers')} p "
        f"LEFT JOIN {view.table('list_peer_worker_legal_bases')} b ON b.peer_worker_id = p.id"
    )
    with view.reading() as db:  # the page and its domains from one snapshot
        rows, following = read_page(view, db, PEER_WORKER_ORDERS, select, conditions, sort, cursor, limit)
        return _with_domains(view, db, rows), following


def _with_domains(view: ListView, db: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not rows:
        return rows
    ids = [row["id"] for row in rows]
    db.execute(
        view.sql(f"SELECT peer_worker_id, domain FROM {view.table('list_peer_worker_domains')} "
                 f"WHERE peer_worker_id IN ({placeholders(ids)}) ORDER BY domain"),
        ids,
    )
    domains: dict[str, list[str]] = {}
    for row in db.fetchall():
        domains.setdefault(row["peer_worker_id"], []).append(row["domain"])
    return [{**row, "domains": domains.get(row["id"], [])} for row in rows]
