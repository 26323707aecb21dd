"""Writes ``demo/recensement.csv``: the census as the platform keeps it in a spreadsheet
before it has the registry, exported by French Excel (Windows-1252, ';', days as
DD/MM/YYYY), in the import's columns. ``python -m demo.census_sheet`` writes it again;
the same every time (a test checks the committed file is this one)."""

import csv
import io
import random
from datetime import date, timedelta
from pathlib import Path

from peerwork_registry.imports.layout import COLUMNS, template_rows

PATH = Path(__file__).parent / "recensement.csv"
# Auvergne-Rhône-Alpes first, where the platform began, then a few others.
DEPARTEMENTS = ["38", "38", "38", "69", "69", "26", "74", "07", "42", "63", "73", "01", "2A", "13", "75", "976"]
STRUCTURES = [
    ("Foyer", "shelter_housing"),
    ("Centre d'hébergement", "shelter_housing"),
    ("CMP", "mental_health"),
    ("GEM", "mental_health"),
    ("CSAPA", "addiction"),
    ("ESAT", "disability"),
    ("Chantier d'insertion", "employment_insertion"),
    ("Théâtre", "culture"),
]
PLACES = ["Les Tilleuls", "Le Relais", "L'Étape", "Bellevue", "La Passerelle", "Le Phare", "Les Écrins", "Saint-Bruno"]
DOMAINS = ["mental_health", "precarity_homelessness", "addiction", "disability", "violence", "other"]


def rows(seed: int = 16) -> list[list[str]]:
    draw = random.Random(seed)
    structures = _structures(draw)
    return [template_rows()[0], *(line for line, _ in structures), *_peer_workers(draw, structures)]


def _line(**cells: str) -> list[str]:
    return [cells.get(column.key, "") for column in COLUMNS]


def _structures(draw: random.Random) -> list[tuple[list[str], tuple[str, date]]]:
    """Each structure's line, with its reference and the day it was registered."""
    structures = []
    for n in range(1, 25):
        kind, sector = STRUCTURES[n % len(STRUCTURES)]
        reference = f"S-{n:03d}"
        registered = date(2015, 3, 1) + timedelta(days=draw.randrange(0, 2500))
        line = _line(
            kind="structure",
            reference=reference,
            name=f"{kind} {PLACES[n % len(PLACES)]} {n}",
            departement=DEPARTEMENTS[n % len(DEPARTEMENTS)],
            sector=sector,
            effective_on=f"{registered:%d/%m/%Y}",
            despite_same_name="non",
        )
        structures.append((line, (reference, registered)))
    return structures


def _peer_workers(draw: random.Random, structures: list[tuple[list[str], tuple[str, date]]]) -> list[list[str]]:
    """Each peer worker's line, most followed by the line of their employment."""
    lines = []
    for n in range(1, 97):
        reference = f"P-{n:03d}"
        registered = date(2016, 1, 4) + timedelta(days=draw.randrange(0, 2400))
        domains = ", ".join(sorted(draw.sample(DOMAINS, draw.choice([1, 1, 2]))))
        lines.append(
            _line(
                kind="travailleur pair",
                reference=reference,
                name=f"Pair importé {n:03d}",
                departement=draw.choice(DEPARTEMENTS),
                domains=domains,
                effective_on=f"{registered:%d/%m/%Y}",
                # Each consented in writing the day they were registered (GDPR art. 9(2)(a)).
                legal_basis="consentement",
                consent_given_on=f"{registered:%d/%m/%Y}",
                consent_given_how="formulaire signé",
            )
        )
        if draw.random() < 0.8:
            structure, opened = draw.choice([place for _, place in structures])
            starts = max(registered, opened) + timedelta(days=draw.randrange(10, 200))
            ends = starts + timedelta(days=draw.randrange(200, 900)) if draw.random() < 0.3 else None
            lines.append(
                _line(
                    kind="emploi",
                    reference=f"E-{n:03d}",
                    effective_on=f"{starts:%d/%m/%Y}",
                    structure=structure,
                    peer_worker=reference,
                    ends_on="" if ends is None or ends > date(2024, 12, 31) else f"{ends:%d/%m/%Y}",
                )
            )
    return lines


def content() -> bytes:
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(rows())
    return text.getvalue().encode("cp1252")


if __name__ == "__main__":
    PATH.write_bytes(content())
    print(f"wrote {PATH} ({len(rows()) - 1} rows)")
