"""Reading an import file, without a store: encodings, separators, headers, cells."""

import codecs

import pytest

from peerwork_common.domain.errors import InvalidValueError
from peerwork_registry.imports.layout import columns_of
from peerwork_registry.imports.rows import Refused, Row, parse
from peerwork_registry.imports.sheets import Line, NotASpreadsheetError, read_lines


@pytest.mark.parametrize(
    "content",
    [
        "type;référence;nom\r\nstructure;S-1;\"Foyer; l'Étape\"\r\n".encode("cp1252"),
        codecs.BOM_UTF8 + "type,référence,nom\nstructure,S-1,\"Foyer; l'Étape\"\n".encode(),
        "type;référence;nom\n\n;;\nstructure;S-1;\"Foyer; l'Étape\"\n".encode(),
    ],
    ids=["windows-1252 and ;", "UTF-8 with BOM and ,", "blank lines skipped"],
)
def test_csv_is_read_in_either_encoding_and_separator(content):
    headers, lines = read_lines(content)
    assert headers == ["type", "référence", "nom"]
    assert [line.cells for line in lines] == [["structure", "S-1", "Foyer; l'Étape"]]


def test_line_numbers_are_the_spreadsheet_s():
    _, lines = read_lines(b"type;reference\n\nstructure;S-1\n")
    assert [line.number for line in lines] == [3]


def test_bytes_no_text_encoding_reads_are_not_a_spreadsheet():
    with pytest.raises(NotASpreadsheetError, match="neither UTF-8 nor Windows-1252"):
        read_lines(b"type;nom\n\x81\x8d\n")  # bytes Windows-1252 leaves undefined


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (["Type", "REFERENCE", "Département", "Peer_Worker"], None),
        (["type", "référence", "couleur"], "the first line has columns this import does not know: 'couleur'"),
        (["type", "nom"], "the first line lacks the columns 'référence'"),
        (["type", "référence", "nom", "name"], "the column 'name' comes twice in the first line: keep one"),
    ],
)
def test_headers_are_french_or_english_whatever_their_case_and_accents(headers, message):
    if message is None:
        assert [column.key for column in columns_of(headers).values()] == ["kind", "reference", "departement", "peer_worker"]
    else:
        with pytest.raises(InvalidValueError, match=message):
            columns_of(headers)


def test_a_row_is_the_api_s_command_with_french_days_and_a_number_for_a_departement():
    headers = ["type", "référence", "nom", "département", "secteur", "date"]
    row = parse(Line(2, ["Structure", "S-1", "Le  Relais", "1", "Shelter housing", "2/5/2019"]), columns_of(headers), headers)
    assert isinstance(row, Row)
    command = row.command
    assert (command.departement, command.sector, command.effective_on.isoformat()) == ("01", "shelter_housing", "2019-05-02")


def test_a_row_refused_names_its_record_so_that_rows_naming_it_are_refused_too():
    headers = ["type", "référence", "nom", "département", "domaines", "date", "base légale"]
    refused = parse(Line(4, ["pair", "P-1", "Anne", "38", "addiction", "2019-13-01", "soins"]), columns_of(headers), headers)
    assert isinstance(refused, Refused)
    assert (refused.kind.value, refused.reference) == ("peer_worker", "P-1")
    assert [(p.line, p.column) for p in refused.problems] == [(4, "date")]
