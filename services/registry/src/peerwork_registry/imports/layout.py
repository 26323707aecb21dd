"""The columns an import file has, each headed in French or in English (README.md, "Imports")."""

import csv
import io
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from peerwork_common.domain.errors import InvalidValueError


class Kind(StrEnum):
    """What a row records."""

    STRUCTURE = "structure"
    PEER_WORKER = "peer_worker"
    EMPLOYMENT = "employment"


@dataclass(frozen=True)
class Column:
    key: str
    french: str
    english: str
    kinds: frozenset[Kind]  # the rows that take it; a value in another row is a slip
    example: str  # a value in the template's example rows, one per kind (structure, peer worker, employment)


_ALL = frozenset(Kind)
_REGISTERED = frozenset({Kind.STRUCTURE, Kind.PEER_WORKER})

COLUMNS = (
    Column("kind", "type", "kind", _ALL, "structure|travailleur pair|emploi"),
    Column("reference", "référence", "reference", _ALL, "S-0001|P-0001|"),
    Column("name", "nom", "name", _REGISTERED, "Le Relais Ozanam|Anne Martin|"),
    Column("siret", "siret", "siret", frozenset({Kind.STRUCTURE}), "73282932000074||"),
    Column("departement", "département", "departement", _REGISTERED, "38|38|"),
    Column("sector", "secteur", "sector", frozenset({Kind.STRUCTURE}), "shelter_housing||"),
    Column("domains", "domaines", "domains", frozenset({Kind.PEER_WORKER}), "|addiction, mental_health|"),
    # The legal basis of GDPR art. 9(2) the record is held on: a consent, with its day and how.
    Column("legal_basis", "base légale", "legal basis", frozenset({Kind.PEER_WORKER}), "|consentement|"),
    Column("consent_given_on", "date du consentement", "consent date", frozenset({Kind.PEER_WORKER}), "|04/01/2021|"),
    Column("consent_given_how", "recueil du consentement", "consent given how", frozenset({Kind.PEER_WORKER}),
           "|formulaire signé|"),
    Column("effective_on", "date", "date", _ALL, "02/05/2019|04/01/2021|01/02/2021"),
    Column("structure", "structure", "structure", frozenset({Kind.EMPLOYMENT}), "||S-0001"),
    Column("peer_worker", "travailleur pair", "peer worker", frozenset({Kind.EMPLOYMENT}), "||P-0001"),
    Column("ends_on", "date de fin", "end date", frozenset({Kind.EMPLOYMENT}), "||"),
    Column("despite_same_name", "malgré le même nom", "despite same name", frozenset({Kind.STRUCTURE}), "non||"),
)
BY_KEY = {column.key: column for column in COLUMNS}

# The words the "type" column takes, French or English.
KIND_WORDS = {
    "structure": Kind.STRUCTURE,
    "structure partenaire": Kind.STRUCTURE,
    "partner structure": Kind.STRUCTURE,
    "travailleur pair": Kind.PEER_WORKER,
    "travailleuse paire": Kind.PEER_WORKER,
    "pair": Kind.PEER_WORKER,
    "peer worker": Kind.PEER_WORKER,
    "emploi": Kind.EMPLOYMENT,
    "employment": Kind.EMPLOYMENT,
}
# The words the legal basis columns take, French or English (or the API's own codes).
BASIS_WORDS = {
    "consentement": "explicit_consent",
    "consentement explicite": "explicit_consent",
    "explicit consent": "explicit_consent",
    "protection sociale": "employment_and_social_protection",
    "soins": "health_or_social_care",
    "prise en charge sanitaire ou sociale": "health_or_social_care",
    "statistique": "archiving_research_or_statistics",
    "archives recherche statistique": "archiving_research_or_statistics",
}
CONSENT_WORDS = {
    "formulaire signe": "signed_form",
    "signed form": "signed_form",
    "formulaire electronique": "electronic_form",
    "electronic form": "electronic_form",
    "oral avec temoin": "orally_with_witness",
    "orally with witness": "orally_with_witness",
}
YES = frozenset({"oui", "yes", "true", "vrai", "1", "x"})
NO = frozenset({"", "non", "no", "false", "faux", "0"})


# A file repeats the same few words (kinds, legal bases, domains, sectors) on every line:
# worked out once each, six cells a row cost 2 µs instead of 60 (half the parsing of a
# 10,000-row file, cProfile).
@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """How headers and words are compared: without case, accents, underscores or extra spaces."""
    unaccented = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return " ".join(unaccented.replace("_", " ").replace("'", " ").split())


_HEADERS = {plain(name): column for column in COLUMNS for name in (column.french, column.english, column.key)}


def columns_of(headers: list[str]) -> dict[int, Column]:
    """The column each header names, by position; InvalidValueError naming the headers this
    import does not know, or those missing."""
    found: dict[int, Column] = {}
    unknown = []
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        column = _HEADERS.get(plain(header))
        if column is None:
            unknown.append(header)
        elif column in found.values():
            raise InvalidValueError(f"the column {header!r} comes twice in the first line: keep one")
        else:
            found[index] = column
    if unknown:
        raise InvalidValueError(
            f"the first line has columns this import does not know: {', '.join(map(repr, unknown))}; "
            f"it takes {known_headers()} (GET /imports/template gives a file to fill in)"
        )
    missing = [c.french for c in COLUMNS if c.key in ("kind", "reference") and c not in found.values()]
    if missing:
        raise InvalidValueError(f"the first line lacks the columns {', '.join(map(repr, missing))}")
    return found


def known_headers() -> str:
    return ", ".join(repr(c.french) if c.french == c.english else f"{c.french!r} or {c.english!r}" for c in COLUMNS)


def template_rows(english: bool = False) -> list[list[str]]:
    """The template: the headers (French, or English), then an example row of each kind."""
    examples = [column.example.split("|") for column in COLUMNS]
    return [
        [column.english if english else column.french for column in COLUMNS],
        *([values[row] for values in examples] for row in range(3)),
    ]


def template_csv(english: bool = False) -> bytes:
    """The template as French Excel opens it as it is: UTF-8 with a BOM, ';' between cells."""
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(template_rows(english))
    return text.getvalue().encode("utf-8-sig")
