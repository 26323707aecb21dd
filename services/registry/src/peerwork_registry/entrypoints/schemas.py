"""Request bodies of the registry's HTTP API (the responses are in ``views``)."""

from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, Field, model_validator

from peerwork_common.domain.values import check_effective_date
from peerwork_common.http.schemas import Command, Day, DepartementCode, EffectiveDate, PlannedDay
from peerwork_contracts.vocabulary import InterventionDomain, Sector

from ..domain import values
from ..domain.legal_basis import Basis, ConsentGiven, LegalBasis
from ..domain.partner_structure import CORRECTABLE

Siret = Annotated[str, Field(examples=["73282932000074"]), AfterValidator(values.check_siret)]


SAME_NAME = (
    "Register (or correct) it although a structure whose name reads the same (without case, "
    "accents, punctuation or the words association, asso, assoc) is registered in the département"
)


class RegisterStructure(Command):
    name: str = Field(min_length=1, max_length=200, examples=["Le Relais Ozanam"])
    siret: Siret | None = None
    departement: DepartementCode
    sector: Sector
    effective_on: EffectiveDate
    despite_same_name: bool = Field(default=False, description=SAME_NAME)


class CorrectStructure(Command):
    """The fields recorded by mistake, with their right values; the others are left as they are."""

    # A default of None that is never validated: a field left out is not corrected, and
    # null is refused for these three (a structure keeps a name, a département, a sector).
    name: str = Field(default=None, min_length=1, max_length=200, examples=["Le Relais Ozanam"])  # type: ignore[assignment]
    siret: Siret | None = Field(default=None, description="null removes the SIRET recorded by mistake")
    departement: DepartementCode = Field(default=None)  # type: ignore[assignment]
    sector: Sector = Field(default=None)  # type: ignore[assignment]
    reason: str = Field(
        min_length=1, max_length=500, description="Why: kept in the registry, never published",
        examples=["SIRET of the parent association typed at registration"],
    )
    despite_same_name: bool = Field(default=False, description=SAME_NAME)

    @model_validator(mode="after")
    def _corrects_something(self) -> "CorrectStructure":
        if not self.changes():
            raise ValueError(f"a correction names at least one of: {', '.join(CORRECTABLE)}")
        return self

    def changes(self) -> dict[str, str | None]:
        return {field: getattr(self, field) for field in CORRECTABLE if field in self.model_fields_set}


class ExplicitConsent(Command):
    """The person's explicit consent (GDPR art. 9(2)(a)), with the day and the way it was given."""

    basis: Literal["explicit_consent"]
    consent_given_on: Annotated[Day, AfterValidator(check_effective_date)]
    consent_given_how: ConsentGiven

    def value(self) -> LegalBasis:
        return LegalBasis(Basis.EXPLICIT_CONSENT, self.consent_given_on, self.consent_given_how)


class OtherBasis(Command):
    """Another basis of art. 9(2): employment and social protection law (b), health or social
    care under professional secrecy (h), archiving, research or statistics (j)."""

    basis: Literal["employment_and_social_protection", "health_or_social_care", "archiving_research_or_statistics"]

    def value(self) -> LegalBasis:
        return LegalBasis(Basis(self.basis))


# On what basis of GDPR art. 9(2) the platform holds the person's record: kept in the
# registry only, sealed with the person's key, never published.
RecordLegalBasis = Annotated[ExplicitConsent | OtherBasis, Field(discriminator="basis")]


class RegisterPeerWorker(Command):
    display_name: str = Field(
        min_length=1, max_length=120, description="Kept in the registry only, never published"
    )
    departement: DepartementCode
    domains: list[InterventionDomain] = Field(min_length=1)
    registered_on: EffectiveDate
    legal_basis: RecordLegalBasis


class WithdrawConsent(Command):
    withdrawn_on: EffectiveDate


class RecordEmployment(Command):
    structure_id: UUID
    starts_on: EffectiveDate
    ends_on: PlannedDay | None = Field(default=None, description="Known end date, if any: from 2000-01-01 to the end of the 10th year ahead")


class EndEmployment(Command):
    ends_on: EffectiveDate


class MovePeerWorker(Command):
    departement: DepartementCode
    effective_on: EffectiveDate


class WithdrawPeerWorker(Command):
    effective_on: EffectiveDate


# A corrected date is a date something took effect: from the earliest one to today.
CorrectedDay = Annotated[Day, AfterValidator(lambda day: values.check_effective_date(day))]

Reason = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        description="Why the record is put right; kept in the registry with the person's data, never published",
        examples=["département typed wrong at registration"],
    ),
]


class CorrectRegistration(Command):
    """What was typed at registration; a field left out stays as it is."""

    departement: DepartementCode | None = Field(
        default=None, description="The département registered in (not a move)"
    )
    registered_on: CorrectedDay | None = Field(default=None, description="The registration date")
    domains: list[InterventionDomain] | None = Field(
        default=None, min_length=1, description="All the domains (they replace the ones recorded)"
    )
    reason: Reason


class CorrectEmployment(Command):
    starts_on: CorrectedDay
    ends_on: PlannedDay | None = Field(default=None, description="The end, if any: null for an employment still going on")
    reason: Reason


class CancelEmployment(Command):
    reason: Reason


class ReinstatePeerWorker(Command):
    reason: Reason


class MergePeerWorker(Command):
    into: UUID = Field(description="The other record of the same person, which stands from now on")
    reason: Reason
