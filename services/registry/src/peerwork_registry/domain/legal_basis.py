"""On what legal basis the platform holds a person's health-related data (GDPR art. 9(2)).

A peer worker's record says, at least, in which domains their lived experience lies
(addiction, psychiatric disorders...): health data, which needs a basis of art. 9(2). It is
usually the person's explicit consent (9(2)(a)), recorded with its date and how it was
given. The basis stays in the registry, sealed with the person's key like their name: it is
never published, and goes with the key at erasure.
"""

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from peerwork_common.domain.errors import InvalidValueError


class Basis(StrEnum):
    """The bases of art. 9(2) a platform of peer work can rely on."""

    EXPLICIT_CONSENT = "explicit_consent"  # 9(2)(a)
    EMPLOYMENT_AND_SOCIAL_PROTECTION = "employment_and_social_protection"  # 9(2)(b)
    HEALTH_OR_SOCIAL_CARE = "health_or_social_care"  # 9(2)(h), under professional secrecy
    ARCHIVING_RESEARCH_OR_STATISTICS = "archiving_research_or_statistics"  # 9(2)(j)


class ConsentGiven(StrEnum):
    """How an explicit consent was given: each leaves a trace the platform can show."""

    SIGNED_FORM = "signed_form"
    ELECTRONIC_FORM = "electronic_form"
    ORALLY_WITH_WITNESS = "orally_with_witness"  # noted by the staff member who heard it


@dataclass(frozen=True)
class LegalBasis:
    basis: Basis
    consent_given_on: date | None = None
    consent_given_how: ConsentGiven | None = None

    def __post_init__(self) -> None:
        consent = (self.consent_given_on, self.consent_given_how)
        if self.basis is Basis.EXPLICIT_CONSENT and None in consent:
            raise InvalidValueError(
                "an explicit consent is recorded with the day it was given (consent_given_on) "
                "and how (consent_given_how)"
            )
        if self.basis is not Basis.EXPLICIT_CONSENT and consent != (None, None):
            raise InvalidValueError(
                f"a basis of {self.basis.value} is not a consent: leave consent_given_on and "
                "consent_given_how out"
            )

    def as_stored(self) -> str:
        """As the event keeps it: one personal field, text as every sealed field is."""
        return json.dumps({
            "basis": self.basis.value,
            "consent_given_on": None if self.consent_given_on is None else self.consent_given_on.isoformat(),
            "consent_given_how": None if self.consent_given_how is None else self.consent_given_how.value,
        }, sort_keys=True)

    @classmethod
    def stored(cls, text: str) -> "LegalBasis":
        value = json.loads(text)
        given_on, how = value["consent_given_on"], value["consent_given_how"]
        return cls(
            Basis(value["basis"]),
            None if given_on is None else date.fromisoformat(given_on),
            None if how is None else ConsentGiven(how),
        )
