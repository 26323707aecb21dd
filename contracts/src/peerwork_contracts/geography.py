"""French départements and régions from the INSEE Code officiel géographique (COG).

The reference table (``data/cog_departements.csv``) is shipped inside the
package and never fetched at run time: the contracts must validate the same
way offline, in CI and in production, and a change of geography (a new COG
vintage) must be a reviewed, versioned change of this package, not a silent
side effect of a download. ``COG_VINTAGE`` states which vintage is shipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

COG_VINTAGE = 2024
COG_SOURCE = "INSEE, Code officiel géographique 2024"

_CSV_NAME = "cog_departements.csv"


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    region_code: str


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    departement_codes: tuple[str, ...]


class UnknownDepartementError(ValueError):
    """Raised for a code that is not a département of the shipped COG vintage."""


class UnknownRegionError(ValueError):
    """Raised for a code that is not a région of the shipped COG vintage."""


def _load() -> tuple[Mapping[str, Departement], Mapping[str, Region]]:
    package = resources.files(__package__ or "peerwork_contracts")
    text = (package / "data" / _CSV_NAME).read_text(encoding="utf-8")
    deps: dict[str, Departement] = {}
    reg_names: dict[str, str] = {}
    reg_deps: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        deps[row["dep"]] = Departement(row["dep"], row["dep_name"], row["reg"])
        reg_names.setdefault(row["reg"], row["reg_name"])
        reg_deps.setdefault(row["reg"], []).append(row["dep"])
    regs = {c: Region(c, reg_names[c], tuple(reg_deps[c])) for c in sorted(reg_names)}
    return MappingProxyType(deps), MappingProxyType(regs)


DEPARTEMENTS, REGIONS = _load()


def departement(code: str) -> Departement:
    """Return the département with INSEE code ``code`` (e.g. ``"01"``, ``"2A"``, ``"971"``)."""
    try:
        return DEPARTEMENTS[code]
    except (KeyError, TypeError):
        pass
    prefix = f"{code!r} is not a département code of the INSEE COG {COG_VINTAGE}"
    if code == "20":
        raise UnknownDepartementError(f"{prefix} (Corsica is 2A or 2B)") from None
    raise UnknownDepartementError(
        f"{prefix} (expected two characters such as '01', '69', '2A' or '2B', "
        "or three digits for overseas such as '971' or '976')"
    ) from None


def region(code: str) -> Region:
    """Return the région with INSEE code ``code`` (e.g. ``"84"``, ``"06"``)."""
    try:
        return REGIONS[code]
    except (KeyError, TypeError):
        raise UnknownRegionError(
            f"{code!r} is not a région code of the INSEE COG {COG_VINTAGE} "
            f"(expected two digits, one of {', '.join(REGIONS)})"
        ) from None


def region_of(departement_code: str) -> Region:
    """Return the région containing the département ``departement_code``."""
    return REGIONS[departement(departement_code).region_code]
