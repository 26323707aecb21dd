"""How much the dataset holds, where and when: the figures reported for the end of 2022, the
départements, and the yearly volumes around them."""

from __future__ import annotations

from datetime import date, timedelta

from ..figures import Figures

REFERENCE_DAY = date(2022, 12, 31)
AFTER_REFERENCE = REFERENCE_DAY + timedelta(days=1)
FIRST_YEAR = 2015
PEER_WORKERS_AT_REFERENCE = 1020
STRUCTURES_AT_REFERENCE = 150
ARA_PEER_WORKERS = 122  # 122 / 1020 = 0.1196: the 12 % reported

# The 60 départements covered at the end of 2022 (and never left: moves stay among them),
# weighted by how much happens there.
DEPARTEMENTS: dict[str, int] = {
    "01": 2, "26": 2, "38": 5, "42": 2, "63": 3, "69": 6, "73": 1, "74": 2,  # ARA
    "75": 8, "92": 3, "93": 4, "94": 3, "91": 2, "78": 2, "95": 2, "77": 2,  # Île-de-France
    "13": 6, "06": 3, "83": 2, "84": 2,  # Provence-Alpes-Côte d'Azur
    "31": 5, "34": 4, "30": 2, "66": 1, "11": 1, "81": 1,  # Occitanie
    "33": 5, "64": 2, "87": 1, "86": 1, "17": 1, "24": 1,  # Nouvelle-Aquitaine
    "59": 6, "62": 3, "80": 1, "60": 1, "02": 1,  # Hauts-de-France
    "67": 4, "68": 2, "57": 2, "54": 2, "51": 1, "10": 1,  # Grand Est
    "44": 4, "49": 2, "72": 1, "85": 1,  # Pays de la Loire
    "35": 4, "29": 2, "56": 1, "22": 1,  # Bretagne
    "76": 3, "14": 2, "50": 1,  # Normandie
    "21": 2, "25": 2, "71": 1,  # Bourgogne-Franche-Comté
    "37": 2, "45": 2,  # Centre-Val de Loire
    "974": 2,  # La Réunion
}

# Yearly volumes until 2022 (relative for the census, absolute for activity), then a
# steady growth until today.
STRUCTURE_WEIGHTS = (8, 10, 13, 16, 19, 22, 27, 35)
PEER_WORKER_WEIGHTS = (5, 7, 9, 11, 13, 15, 18, 22)
ACCOMPANIMENTS = (5, 8, 12, 17, 21, 25, 30, 38)
SESSIONS = (4, 5, 7, 8, 10, 11, 12, 14)
WITHDRAWN_BY_REFERENCE = 0.07  # share of the 2022 census that had already left by then
WITHDRAWN_LATER = 0.05
MOVING = 0.07
EMPLOYED = 0.8
NEW_HIRES = 0.35  # hirings of someone not in the registry yet

# What was reported; who was employed then was not, and varies with the seed.
REPORTED = Figures(
    PEER_WORKERS_AT_REFERENCE, STRUCTURES_AT_REFERENCE, len(DEPARTEMENTS), 0, ARA_PEER_WORKERS
)


def structures_in(year: int) -> int:
    return 18 + 2 * (year - 2023)


def registrations_in(year: int) -> int:
    return 95 + 10 * (year - 2023)


def accompaniments_in(year: int) -> int:
    return ACCOMPANIMENTS[year - FIRST_YEAR] if year <= 2022 else 44 + 6 * (year - 2023)


def sessions_in(year: int) -> int:
    return SESSIONS[year - FIRST_YEAR] if year <= 2022 else 15 + 2 * (year - 2023)
