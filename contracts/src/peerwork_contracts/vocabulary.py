"""Closed lists shared by the write services and every subscriber.

Standard library only, so that domain code can use them without pulling a framework in.
Adding a member is a compatible change; renaming or removing one needs a new schema version.
"""

from enum import StrEnum


class Sector(StrEnum):
    """Field of activity of a partner structure."""

    SHELTER_HOUSING = "shelter_housing"
    MENTAL_HEALTH = "mental_health"
    ADDICTION = "addiction"
    DISABILITY = "disability"
    EMPLOYMENT_INSERTION = "employment_insertion"
    CULTURE = "culture"
    OTHER = "other"


class InterventionDomain(StrEnum):
    """Domain of intervention (champ d'intervention) of a peer worker."""

    MENTAL_HEALTH = "mental_health"
    DISABILITY = "disability"
    PRECARITY_HOMELESSNESS = "precarity_homelessness"
    ADDICTION = "addiction"
    VIOLENCE = "violence"
    OTHER = "other"


class RequestChannel(StrEnum):
    """How a structure's request for accompaniment reached the platform."""

    STRUCTURE = "structure"  # the structure itself
    FUNDER = "funder"
    NETWORK = "network"
    OTHER = "other"


class Milestone(StrEnum):
    """Steps of the platform's made-to-measure accompaniment of a structure."""

    TEAM_AWARENESS = "team_awareness"
    READINESS_ASSESSED = "readiness_assessed"
    REPRESENTATIONS_DISCUSSED = "representations_discussed"  # representations, fears, motivations
    MISSIONS_DEFINED = "missions_defined"
    JOB_DESCRIPTION_DRAFTED = "job_description_drafted"  # fiche de poste
    RECRUITMENT_OPENED = "recruitment_opened"
    PEER_WORKER_HIRED = "peer_worker_hired"
    ONBOARDING_SUPPORTED = "onboarding_supported"  # prise de poste
    FOLLOW_UP_MEETING = "follow_up_meeting"


class Outcome(StrEnum):
    """How an accompaniment ended."""

    HIRED = "hired"
    POSTPONED = "postponed"
    ABANDONED = "abandoned"
    REDIRECTED = "redirected"


class TrainingKind(StrEnum):
    AWARENESS_FOR_PROFESSIONALS = "awareness_for_professionals"
    TRAINING_FOR_PROFESSIONALS = "training_for_professionals"
    PEER_WORKER_TRAINING = "peer_worker_training"
    UNIVERSITY_DIPLOMA_SUPPORT = "university_diploma_support"  # accompagnement au DU
    COLLECTIVE_PEER_MEETING = "collective_peer_meeting"


class MeetingKind(StrEnum):
    """What a meeting of a peer network or group was (since 1.5.0)."""

    EXCHANGE_OF_PRACTICE = "exchange_of_practice"  # analyse / échange de pratiques
    NETWORK_MEETING = "network_meeting"  # rencontre du réseau
    CO_CONSTRUCTION_WITH_INSTITUTIONS = "co_construction_with_institutions"  # avec les institutions
    OTHER = "other"


class Audience(StrEnum):
    """Who a training session is for."""

    PROFESSIONALS = "professionals"
    PEER_WORKERS = "peer_workers"
    MIXED = "mixed"
