"""The keys a partner structure holds so that no other is registered with them: its SIRET
(``SiretIndex``) and its name as it reads in its département (``NameIndex``). They are
saved with the structure, in the same transaction: a key two structures claim at once
makes one of the two saves fail."""

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository

from peerwork_common.domain.errors import DuplicateError

from .domain.partner_structure import Claim, NameIndex, PartnerStructure, SiretIndex


@dataclass(frozen=True)
class StructureKeys:
    siret: str | None
    name: str | None

    @classmethod
    def of(cls, structure: PartnerStructure) -> "StructureKeys":
        return cls(structure.siret, structure.name_key)


def rekeyed(
    repository: Repository[UUID],
    structure: PartnerStructure,
    before: StructureKeys,
    despite_same_name: bool,
    same_name_hint: str = 'send "despite_same_name": true',
) -> list[Claim]:
    """The claims to save with ``structure``: the keys it had ``before`` and no longer has
    released, those it has now claimed. DuplicateError when another structure holds one
    (for a name, its message ends on ``same_name_hint``, how to register it all the same);
    a name held by another, when ``despite_same_name``, is left to it."""
    after = StructureKeys.of(structure)
    claims: list[Claim] = []
    for kind, old, new in ((SiretIndex, before.siret, after.siret), (NameIndex, before.name, after.name)):
        if old == new:
            continue
        if old is not None and (held := _index(repository, kind, old)) is not None:
            held.release(structure.id)  # unless another structure holds it: registered despite the name
            claims.append(held)
        if new is None:
            continue
        index = _index(repository, kind, new)
        if index is None:
            claims.append(kind(new, structure.id))
            continue
        try:
            index.claim(structure.id)
        except DuplicateError as error:
            if kind is SiretIndex:
                raise
            if despite_same_name:
                continue
            raise DuplicateError(
                f"{error}; if this is another structure of the same name, {same_name_hint}",
                error.existing_id,
            ) from None
        claims.append(index)
    return claims


def _index(repository: Repository[UUID], kind: type[Claim], key: str) -> Claim | None:
    try:
        return repository.get(kind.create_id(key))
    except AggregateNotFoundError:
        return None
