"""Partner structures registered, read and corrected, with the keys (SIRET, name) that keep
any other from being registered with them."""

from collections.abc import Callable
from datetime import date
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from peerwork_common.domain.errors import RuleBrokenError
from peerwork_contracts.vocabulary import Sector

from ..domain.partner_structure import PartnerStructure
from ..domain.values import check_effective_date
from ..structure_keys import StructureKeys, rekeyed


class StructureUseCases:
    """``Registry``'s use cases on partner structures."""

    def register_structure(
        self,
        name: str,
        siret: str | None,
        departement: str,
        sector: Sector,
        effective_on: date,
        *,
        despite_same_name: bool = False,
    ) -> UUID:
        """DuplicateError when another structure has the SIRET, or a name that reads the
        same in the département (unless ``despite_same_name``)."""
        check_effective_date(effective_on)
        structure = PartnerStructure.register(name, siret, departement, sector, effective_on)
        self._save_with_keys(structure, StructureKeys(None, None), despite_same_name)
        return structure.id

    def get_structure(self, structure_id: UUID, within: Callable[[str], bool] | None = None) -> PartnerStructure:
        return self.load(PartnerStructure, structure_id, "partner structure", within)

    def correct_structure(
        self,
        structure_id: UUID,
        reason: str,
        changes: dict[str, str | None],
        *,
        despite_same_name: bool = False,
        within: Callable[[str], bool] | None = None,
    ) -> PartnerStructure:
        """Corrects the structure (``PartnerStructure.correct``): a SIRET or name corrected
        away is released, the corrected one claimed, in the same save."""
        structure = self.get_structure(structure_id, within)
        before = StructureKeys.of(structure)
        structure.correct(reason, **changes)
        self._save_with_keys(structure, before, despite_same_name)
        return structure

    def _save_with_keys(self, structure: PartnerStructure, before: "StructureKeys", despite_same_name: bool) -> None:
        try:
            self.save(structure, *rekeyed(self.repository, structure, before, despite_same_name))
        except IntegrityError:
            # Another command took a key (or changed the structure) meanwhile: a key now
            # held by another structure is named (DuplicateError); else, try again.
            rekeyed(self.repository, structure, before, despite_same_name)
            raise RuleBrokenError("the record changed while this command ran: read it again and retry") from None
