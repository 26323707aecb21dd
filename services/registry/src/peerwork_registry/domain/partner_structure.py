from datetime import date
from uuid import NAMESPACE_OID, UUID, uuid4, uuid5

from eventsourcing.domain import Aggregate, event

from peerwork_common.domain.errors import DuplicateError, InvalidValueError, RuleBrokenError
from peerwork_contracts.vocabulary import Sector

from .values import check_departement, check_name, check_siret, normalised_name

# What a correction may put right, in the order messages name them.
CORRECTABLE = ("name", "siret", "departement", "sector")


class PartnerStructure(Aggregate):
    """An organisation that hosts or employs peer workers."""

    @classmethod
    def register(
        cls,
        name: str,
        siret: str | None,
        departement: str,
        sector: Sector,
        effective_on: date,
        *,
        structure_id: UUID | None = None,
    ) -> "PartnerStructure":
        """``structure_id`` is given by an import, derived from the row's reference so that
        importing the row again finds the structure rather than a second one."""
        return cls(
            id=structure_id or uuid4(),
            name=check_name(name, "structure's name"),
            siret=check_siret(siret) if siret else None,
            departement=check_departement(departement),
            sector=Sector(sector).value,
            effective_on=effective_on,
        )

    @event("Registered")
    def __init__(
        self,
        id: UUID,  # noqa: A002 - eventsourcing takes the new aggregate's id from here, not the event's state
        name: str,
        siret: str | None,
        departement: str,
        sector: str,
        effective_on: date,
    ) -> None:
        self.name = name
        self.siret = siret
        self.departement = departement
        self.sector = Sector(sector)
        self.registered_on = effective_on

    @property
    def record(self) -> dict[str, str | None]:
        """What a correction may change, as recorded now."""
        return {"name": self.name, "siret": self.siret, "departement": self.departement, "sector": self.sector.value}

    @property
    def name_key(self) -> str:
        """What no two structures of a département should share (``NameIndex``)."""
        return NameIndex.key_of(self.name, self.departement)

    def correct(self, reason: str, **changes: str | None) -> None:
        """Puts right what was recorded by mistake, as if it had been so since the
        registration: ``changes`` holds some of name, siret (None removes it), departement
        and sector. ``reason`` says why; it stays in the registry."""
        if not changes:
            raise InvalidValueError(f"a correction changes at least one of: {', '.join(CORRECTABLE)}")
        checked = {field: _checked(field, value) for field, value in changes.items()}
        corrected = [field for field in CORRECTABLE if field in checked and checked[field] != self.record[field]]
        if not corrected:
            already = "; ".join(
                f"its {field} is already {'empty' if value is None else repr(value)}" for field, value in checked.items()
            )
            raise RuleBrokenError(f"nothing to correct: {already}")
        self._corrected(
            **{**self.record, **{field: checked[field] for field in corrected}},
            corrected=corrected,
            reason=check_name(reason, "reason"),
            effective_on=self.registered_on,
        )

    @event("Corrected")
    def _corrected(
        self,
        name: str,
        siret: str | None,
        departement: str,
        sector: str,
        corrected: list[str],
        reason: str,
        effective_on: date,
    ) -> None:
        # The whole record as corrected, so that the event alone says what the structure
        # is (its publication carries it); ``effective_on`` is the registration's date.
        self.name = name
        self.siret = siret
        self.departement = departement
        self.sector = Sector(sector)


def _checked(field: str, value: str | None) -> str | None:
    match field:
        case "name" if value is not None:
            return check_name(value, "structure's name")
        case "siret":
            return None if value is None else check_siret(value)
        case "departement" if value is not None:
            return check_departement(value)
        case "sector" if value is not None:
            return Sector(value).value
    raise InvalidValueError(f"a correction cannot set the structure's {field} to {value!r}")


class Claim(Aggregate):
    """A key that one structure at most holds. The aggregate's id comes from the key, so
    that two structures claiming it at once conflict when the second is saved; a key
    released stays with its aggregate, which a later claim takes up again (at its next
    version, so that two claims of it at once conflict as well)."""

    structure_id: UUID | None

    def claim(self, structure_id: UUID) -> None:
        """Takes the key up again for ``structure_id``; DuplicateError when another holds it."""
        if self.structure_id == structure_id:
            return
        if self.structure_id is not None:
            raise DuplicateError(f"{self.held()}: structure {self.structure_id}", self.structure_id)
        self._reclaimed(structure_id)

    @event("Reclaimed")
    def _reclaimed(self, structure_id: UUID) -> None:
        self.structure_id = structure_id

    def release(self, structure_id: UUID) -> None:
        """Lets the key go, when ``structure_id`` holds it."""
        if self.structure_id == structure_id:
            self._released()

    @event("Released")
    def _released(self) -> None:
        self.structure_id = None

    def held(self) -> str:
        raise NotImplementedError


class SiretIndex(Claim):
    """Claims a SIRET for one structure."""

    @staticmethod
    def create_id(siret: str) -> UUID:
        return uuid5(NAMESPACE_OID, f"peerwork/siret/{siret}")

    @event("Claimed")
    def __init__(self, siret: str, structure_id: UUID) -> None:
        self.siret = siret
        self.structure_id = structure_id

    def held(self) -> str:
        return f"a structure with SIRET {self.siret} is already registered"


class NameIndex(Claim):
    """Claims a normalised name in a département (``key_of``) for one structure."""

    @staticmethod
    def key_of(name: str, departement: str) -> str:
        return f"{departement}/{normalised_name(name)}"

    @staticmethod
    def create_id(key: str) -> UUID:
        return uuid5(NAMESPACE_OID, f"peerwork/structure-name/{key}")

    @event("Claimed")
    def __init__(self, key: str, structure_id: UUID) -> None:
        self.key = key
        self.structure_id = structure_id

    def held(self) -> str:
        departement, name = self.key.split("/", 1)
        return f"a structure whose name reads {name!r} is already registered in département {departement}"
