"""A line's filled cells, by the key of their column, as the values the API's schemas take;
what is wrong with one, named by the file's own header."""

import re
from dataclasses import dataclass

from .layout import BASIS_WORDS, BY_KEY, CONSENT_WORDS, NO, YES, Column, plain
from .sheets import Line

_FRENCH_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass(frozen=True)
class Problem:
    line: int
    column: str | None  # the header as the file has it; None for the whole line
    message: str


@dataclass(frozen=True)
class Cells:
    line: int
    values: dict[str, str]  # the filled cells, by column key
    header: dict[str, str]  # each column's header as the file has it, by column key

    @classmethod
    def of(cls, line: Line, columns: dict[int, Column], headers: list[str]) -> "Cells":
        values = {columns[i].key: cell for i, cell in enumerate(line.cells) if i in columns and cell}
        return cls(line.number, values, {column.key: headers[i] for i, column in columns.items()})

    def problem(self, key: str | None, message: str) -> Problem:
        return Problem(self.line, self.header.get(key, BY_KEY[key].french) if key else None, message)


def value(key: str, text: str) -> object:
    if key == "legal_basis":
        return BASIS_WORDS.get(plain(text), plain(text).replace(" ", "_"))
    if key == "consent_given_how":
        return CONSENT_WORDS.get(plain(text), plain(text).replace(" ", "_"))
    if key in ("effective_on", "ends_on", "consent_given_on") and (day := _FRENCH_DAY.fullmatch(text)):
        return f"{day[3]}-{int(day[2]):02d}-{int(day[1]):02d}"
    if key == "domains":
        return [plain(word).replace(" ", "_") for word in re.split(r"[,;|/]", text) if word.strip()]
    if key == "sector":
        return plain(text).replace(" ", "_")
    if key == "departement" and text.isdigit() and len(text) == 1:
        return text.zfill(2)  # a spreadsheet that took "01" for a number
    if key == "despite_same_name":
        word = plain(text)
        return True if word in YES else False if word in NO else None
    return text
