"""Imports of a spreadsheet into the registry, over real HTTP on SQLite and PostgreSQL, the
app built by its composition root: every row checked by the API's rules and reported line
by line, the valid ones stored as the API stores them, and nothing stored twice."""

import codecs
from datetime import date
from pathlib import Path

import httpx
import pytest

from peerwork_contracts.calendar import today
from peerwork_registry.bootstrap import bootstrap, registry_of
from peerwork_registry.config import Settings
from peerwork_registry.imports.layout import Kind
from peerwork_registry.imports.rows import record_id
from tests.helpers import ServedApp, bearer, eventually
from tests.spreadsheets import ods, xlsx

ADMIN = bearer("admin", subject="importer")
HEADERS = [
    "type",
    "référence",
    "nom",
    "siret",
    "département",
    "secteur",
    "domaines",
    "date",
    "structure",
    "travailleur pair",
    "date de fin",
    "base légale",
    "date du consentement",
    "recueil du consentement",
]
ENGLISH = [
    "kind",
    "reference",
    "name",
    "siret",
    "departement",
    "sector",
    "domains",
    "date",
    "structure",
    "peer worker",
    "end date",
    "legal basis",
    "consent date",
    "consent given how",
]
BASES = "write consentement (with the day and how it was given), protection sociale, soins or statistique"
TOMORROW = date.fromordinal(today().toordinal() + 1).strftime("%d/%m/%Y")


def structure(ref, name, departement="38", sector="shelter_housing", siret="", on="02/05/2019"):
    return ["structure", ref, name, siret, departement, sector, "", on, "", "", "", "", "", ""]


def peer_worker(ref, name="Anne Martin", departement="38", domains="addiction", on="04/01/2021",
                basis="consentement", consent_on="04/01/2021", consent_how="formulaire signé"):
    return ["travailleur pair", ref, name, "", departement, "", domains, on, "", "", "", basis, consent_on, consent_how]


def employment(peer, at, on="01/02/2021", ends="", ref=""):
    return ["emploi", ref, "", "", "", "", "", on, at, peer, ends, "", "", ""]


def csv(rows, separator=";", encoding="cp1252", headers=HEADERS) -> bytes:
    lines = [separator.join(headers), *(separator.join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def settings_on(store_env: dict[str, str], **overrides) -> Settings:
    """The registry's settings for the store ``store_env`` names, without relay or consumer."""
    quiet = {"relay_enabled": False, "hirings_enabled": False, **overrides}
    if store_env["PERSISTENCE_MODULE"].endswith("sqlite"):
        return Settings(sqlite_path=Path(store_env["SQLITE_DBNAME"]), **quiet)
    return Settings(
        persistence="postgres",
        postgres_host=store_env["POSTGRES_HOST"],
        postgres_port=int(store_env["POSTGRES_PORT"]),
        postgres_dbname=store_env["POSTGRES_DBNAME"],
        postgres_schema=store_env["POSTGRES_SCHEMA"],
        **quiet,
    )


class Service:
    def __init__(self, app, api: httpx.Client) -> None:
        self.app, self.api = app, api

    @property
    def stored(self) -> int:
        return self.app.state.registry.recorder.max_notification_id() or 0

    def upload(self, content: bytes, filename: str = "recensement.csv", **params) -> dict:
        response = self.api.post("/imports", files={"file": (filename, content)}, params=params)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def service(store_env):
    app = bootstrap(settings_on(store_env))
    with ServedApp(app) as served, httpx.Client(base_url=served.url, headers=ADMIN, timeout=60) as api:
        yield Service(app, api)


def problems(report: dict) -> list[tuple[int, str | None, str]]:
    return [(p["line"], p["column"], p["message"]) for p in report["problems"]]


def test_every_rule_is_reported_by_line_and_column_and_the_valid_rows_stored(service):
    already = service.api.post(
        "/structures", json={"name": "Point d'eau", "siret": "73282932000074", "departement": "69", "sector": "other"}
    )
    assert already.status_code == 201
    report = service.upload(
        csv(
            [
                structure("S-1", "Le Relais Ozanam"),
                structure("S-2", "Corsica", departement="20"),
                structure("S-3", "Banque", sector="banking"),
                structure("S-4", "Clé", siret="73282932000075"),
                structure("S-5", "Doublon", siret="73282932000074"),
                structure("S-6", "Le relais  OZANAM", on="02/05/2020"),
                structure("S-1", "Le Relais Ozanam"),
                peer_worker("P-1"),
                peer_worker("P-2", domains="addiction, gardening"),
                peer_worker("P-3", on=TOMORROW),
                peer_worker("P-4", on="31/12/1999"),
                peer_worker("P-5", name=" \u200b "),
                peer_worker("", name="Sans référence"),
                ["travailleur pair", "P-6", "Siret", "73282932000074", "38", "", "violence", "04/01/2021", "", "", "",
                 "consentement", "04/01/2021", "formulaire signé"],
                employment("P-1", "S-1"),
                employment("P-1", "S-1", on="01/03/2021", ref="E-2"),
                employment("P-1", "S-9", on="01/03/2021"),
                employment("P-2", "S-1"),
                employment("P-1", "S-1", on="01/01/2021", ref="E-3"),
                employment("P-1", "S-1", on="01/02/2021", ends="01/01/2021", ref="E-4"),
                ["apprenti", "X-1", "", "", "", "", "", "01/01/2021", "", "", "", "", "", ""],
                structure("S-7", "Sans date", on=""),
                peer_worker("P-7", basis="", consent_on="", consent_how=""),
                peer_worker("P-8", basis="intérêt légitime", consent_on="", consent_how=""),
                peer_worker("P-9", consent_on=""),
                peer_worker("P-10", basis="soins"),
                peer_worker("P-11", basis="soins", consent_on="", consent_how=""),
            ],
            encoding="utf-8",
        )
    )
    assert problems(report) == [
        (3, "département", "'20' is not a département code of the INSEE COG 2024 (Corsica is 2A or 2B)"),
        (
            4,
            "secteur",
            "'banking': input should be 'shelter_housing', 'mental_health', 'addiction', 'disability', 'employment_insertion', 'culture' or 'other'",
        ),
        (5, "siret", "'73282932000075' is not a valid SIRET: its check digit is wrong"),
        (6, "siret", f"a structure with SIRET 73282932000074 is already registered: structure {already.json()['id']}"),
        (
            7,
            "nom",
            "a structure whose name reads 'le relais ozanam' is already registered in département 38: structure "
            f"{record_id(Kind.STRUCTURE, 'S-1')}; if this is another structure of the same name, write oui in the column 'malgré le même nom'",
        ),
        (8, "référence", "the line 2 has the same structure: one row per record"),
        (
            10,
            "domaines",
            "'gardening': input should be 'mental_health', 'disability', 'precarity_homelessness', 'addiction', 'violence' or 'other'",
        ),
        (
            11,
            "date",
            f"{TOMORROW[6:]}-{TOMORROW[3:5]}-{TOMORROW[:2]} is in the future: a fact can only be recorded once it has taken effect (today is {today().isoformat()})",
        ),
        (12, "date", "1999-12-31 is too early: facts are recorded from 2000-01-01 on (the platform began in 2015)"),
        (13, "nom", "the display name must not be blank: it must show at least one visible character"),
        (
            14,
            "référence",
            "missing: each structure and peer worker needs a reference of its own, which a later import of the same row finds it by",
        ),
        (15, "siret", "a row of kind peer_worker takes no siret: leave the cell empty"),
        (17, None, "the peer worker is already employed by this structure"),
        (18, "structure", "no structure has the reference 'S-9', in this file or imported before"),
        (19, "travailleur pair", "the peer worker 'P-2' was not imported: its line is refused"),
        (20, None, "an employment cannot start before the peer worker's registration (2021-01-04)"),
        (21, None, "an employment must end after the day it starts"),
        (
            22,
            "type",
            "'apprenti' is not a kind of row: write structure, travailleur pair (peer worker) or emploi (employment)",
        ),
        (23, "date", "missing: the day the record took effect (YYYY-MM-DD or DD/MM/YYYY)"),
        (24, "base légale", f"missing: the basis of GDPR art. 9(2) the record is held on: {BASES}"),
        (25, "base légale", f"'interet_legitime' is not a legal basis: {BASES}"),
        (26, "date du consentement", "missing: fill in the cell"),
        (27, "date du consentement", "this legal basis is not a consent: leave the cell empty"),
        (27, "recueil du consentement", "this legal basis is not a consent: leave the cell empty"),
    ]
    assert (report["added"], report["refused"], report["stored"]) == (
        {"structure": 1, "peer_worker": 2, "employment": 1},
        23,
        True,
    )
    peer = service.api.get(f"/peer-workers/{record_id(Kind.PEER_WORKER, 'P-1')}").json()
    assert (peer["display_name"], peer["departement"], peer["registered_on"]) == ("Anne Martin", "38", "2021-01-04")
    assert peer["legal_basis"] == {
        "basis": "explicit_consent", "consent_given_on": "2021-01-04", "consent_given_how": "signed_form",
        "consent_withdrawn_on": None,
    }
    cared = service.api.get(f"/peer-workers/{record_id(Kind.PEER_WORKER, 'P-11')}").json()
    assert cared["legal_basis"]["basis"] == "health_or_social_care"
    assert [(e["structure_id"], e["starts_on"]) for e in peer["employments"]] == [
        (str(record_id(Kind.STRUCTURE, "S-1")), "2021-02-01")
    ]
    # As the API would have stored them: the same events, saying who imported them.
    history = service.app.state.registry.history(record_id(Kind.PEER_WORKER, "P-1"))
    assert [(type(event).__qualname__, provenance.by) for event, provenance in history] == [
        ("PeerWorker.Registered", "importer"),
        ("PeerWorker.LegalBasisRecorded", "importer"),
        ("PeerWorker.EmploymentRecorded", "importer"),
    ]


CENSUS = [
    structure("S-1", "Hébergement Éole", siret="73282932000074"),
    peer_worker("P-1", name="Zoé Lefèvre", domains="mental_health, violence"),
    employment("P-1", "S-1", ends="01/02/2022"),
]


@pytest.mark.parametrize(
    ("separator", "encoding", "headers"),
    [(";", "cp1252", HEADERS), (",", "utf-8-sig", HEADERS), (";", "utf-8", ENGLISH), (",", "cp1252", ENGLISH)],
)
def test_csv_in_either_encoding_and_separator_with_french_or_english_headers(service, separator, encoding, headers):
    rows = [[f'"{cell}"' if separator in cell else cell for cell in row] for row in CENSUS]
    report = service.upload(csv(rows, separator, encoding, headers))
    assert (report["problems"], report["added"]) == ([], {"structure": 1, "peer_worker": 1, "employment": 1})
    assert service.api.get(f"/structures/{record_id(Kind.STRUCTURE, 'S-1')}").json()["name"] == "Hébergement Éole"
    peer = service.api.get(f"/peer-workers/{record_id(Kind.PEER_WORKER, 'P-1')}").json()
    assert (peer["display_name"], peer["domains"]) == ("Zoé Lefèvre", ["mental_health", "violence"])
    assert peer["employments"][0]["ends_on"] == "2022-02-01"
    listed = service.api.get("/peer-workers", params={"display_name": "Zoé Lefèvre"}).json()["items"]
    assert [item["id"] for item in listed] == [peer["id"]]


@pytest.mark.parametrize("write", [xlsx, ods])
def test_xlsx_and_ods_with_numbers_and_date_cells(service, write):
    content = write(
        [
            HEADERS,
            # A SIRET and a département typed as numbers ("01" read as 1), a day as a date cell.
            ["structure", "S-1", "Le Relais", 73282932000074, 1, "addiction", "", date(2019, 5, 2), "", "", "", "", "", ""],
            ["travailleur pair", "P-1", "Anne", "", "2A", "", "disability", "2021-01-04", "", "", "",
             "consentement", date(2021, 1, 4), "formulaire signé"],
            ["emploi", "", "", "", "", "", "", date(2021, 2, 1), "S-1", "P-1", "", "", "", ""],
            ["structure", "S-2", "Autre", "", "20", "addiction", "", "02/05/2019", "", "", "", "", "", ""],
        ]
    )
    report = service.upload(content, filename=f"recensement.{write.__name__}")
    assert problems(report) == [
        (5, "département", "'20' is not a département code of the INSEE COG 2024 (Corsica is 2A or 2B)")
    ]
    body = service.api.get(f"/structures/{record_id(Kind.STRUCTURE, 'S-1')}").json()
    assert (body["siret"], body["departement"], body["registered_on"]) == ("73282932000074", "01", "2019-05-02")


def test_the_same_file_again_adds_nothing_and_a_corrected_one_only_what_changed(service):
    first = service.upload(csv(CENSUS))
    stored = service.stored
    again = service.upload(csv(CENSUS))
    assert (again["added"], again["unchanged"], again["problems"], service.stored) == (
        {"structure": 0, "peer_worker": 0, "employment": 0},
        3,
        [],
        stored,
    )
    assert first["added"] == {"structure": 1, "peer_worker": 1, "employment": 1}
    structure_id = record_id(Kind.STRUCTURE, "S-1")
    corrected = service.upload(
        csv(
            [
                structure("S-1", "Hébergement Éole", departement="69", siret="73282932000074"),
                peer_worker("P-1", name="Zoé Lefèvre", domains="violence, mental_health"),
                peer_worker("P-2", name="Marc"),
                employment("P-1", "S-1", ends="01/02/2022"),
                employment("P-1", "S-1", on="01/03/2022"),
            ]
        )
    )
    assert problems(corrected) == [
        (
            2,
            None,
            (
                f"the row differs from structure {structure_id}, imported before with this key: departement 38 there, 69 here. "
                f"Correct the record through the API (POST /structures/{structure_id}/correct), or the row"
            ),
        )
    ]
    assert (corrected["added"], corrected["unchanged"]) == ({"structure": 0, "peer_worker": 1, "employment": 1}, 2)
    assert service.api.get(f"/structures/{structure_id}").json()["departement"] == "38"
    renamed = service.upload(csv([peer_worker("P-1", name="Zoe", domains="violence")]))
    peer_id = record_id(Kind.PEER_WORKER, "P-1")
    assert problems(renamed) == [
        (
            2,
            None,
            (
                f"the row differs from peer worker {peer_id}, imported before with this key: the name is not the one "
                f"recorded; domains mental_health, violence there, violence here. Correct the record through the API "
                f"(POST /peer-workers/{peer_id}/correct-registration), or the row"
            ),
        )
    ]


def test_an_erased_person_is_not_imported_again(service):
    service.upload(csv(CENSUS))
    peer_id = record_id(Kind.PEER_WORKER, "P-1")
    assert service.api.delete(f"/peer-workers/{peer_id}").status_code in (202, 204)
    report = service.upload(csv(CENSUS))
    erased = (
        f"the record of this peer worker was erased on {today().isoformat()} at the person's request: "
        "it is not imported again; take the row out of the file"
    )
    assert problems(report) == [(3, "référence", erased), (4, "travailleur pair", erased)]
    assert service.api.get(f"/peer-workers/{peer_id}").status_code == 410


def test_the_other_rules_are_reported_alike_by_a_dry_run_and_a_real_one(service):
    content = csv(
        [
            structure("S-1", "Le Relais"),
            structure("S-2", "Autre", on="2019-13-01"),
            [*structure("S-3", "Trois"), "peut-être"],
            peer_worker("P-1", consent_how="par téléphone"),
            peer_worker("P-2", consent_on="01/01/2999"),
            peer_worker("P-3", consent_how=""),
            peer_worker("P-4", on="demain"),
            employment("", "S-1"),
            employment("P-1", ""),
            employment("P-3", "S-1", ends="31/02/2022"),
        ],
        encoding="utf-8",
        headers=[*HEADERS, "malgré le même nom"],
    )
    stored = service.stored
    dry = service.upload(content, dry_run="true")
    assert service.stored == stored
    real = service.upload(content)
    assert problems(dry) == problems(real) == [
        (3, "date", "Input should be a valid date or datetime, month value is outside expected range of 1-12"),
        (4, "malgré le même nom", "write oui (yes) or non (no)"),
        (5, "recueil du consentement",
         "'par_telephone': input should be 'signed_form', 'electronic_form' or 'orally_with_witness'"),
        (6, "date du consentement", f"2999-01-01 is in the future: a fact can only be recorded once it has taken "
                                    f"effect (today is {today().isoformat()})"),
        (7, "recueil du consentement", "missing: fill in the cell"),
        (8, "date", "'demain': expected a day as YYYY-MM-DD or DD/MM/YYYY"),
        (9, "travailleur pair", "missing: the reference of the employment's peer worker"),
        (10, "structure", "missing: the reference of the employment's structure"),
        (11, "date de fin", "Input should be a valid date or datetime, day value is outside expected range"),
    ]
    assert (dry["added"], real["added"]) == ({"structure": 1, "peer_worker": 0, "employment": 0},) * 2
    assert (dry["stored"], real["stored"]) == (False, True)


def test_a_dry_run_stores_nothing_and_says_what_it_would_add(service):
    stored = service.stored
    report = service.upload(csv([*CENSUS, peer_worker("P-2", departement="20")]), dry_run="true")
    assert (report["added"], report["stored"], report["dry_run"], service.stored) == (
        {"structure": 1, "peer_worker": 1, "employment": 1},
        False,
        True,
        stored,
    )
    assert problems(report) == [
        (5, "département", "'20' is not a département code of the INSEE COG 2024 (Corsica is 2A or 2B)")
    ]
    assert "to add (a dry run: nothing stored)" in report["summary"]


def test_all_or_nothing_stores_nothing_when_one_row_is_refused(service):
    stored = service.stored
    refused = service.upload(csv([*CENSUS, employment("P-1", "S-404", on="01/03/2022")]), all_or_nothing="true")
    assert (refused["stored"], refused["refused"], service.stored) == (False, 1, stored)
    accepted = service.upload(csv(CENSUS), all_or_nothing="true")
    assert (accepted["stored"], accepted["added"]) == (True, {"structure": 1, "peer_worker": 1, "employment": 1})
    assert service.stored > stored


def test_only_admins_import(service):
    for headers, status in ((bearer("staff"), 403), ({"Authorization": ""}, 401)):
        assert (
            service.api.post("/imports", files={"file": ("a.csv", csv(CENSUS))}, headers=headers).status_code == status
        )
        assert service.api.get("/imports/template", headers=headers).status_code == status
    assert service.stored == 0


@pytest.mark.parametrize(
    ("content", "status", "detail"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            415,
            "the file holds binary data: expected a CSV file (UTF-8 or Windows-1252, ',' or ';'), an XLSX or an ODS spreadsheet",
        ),
        (b"PK\x03\x04 not really a zip", 415, "the file cannot be read as a spreadsheet"),
        (b"", 415, "the file is empty"),
        (
            "Prénom;Ville\nAnne;Grenoble\n".encode(),
            422,
            "the first line has columns this import does not know: 'Prénom', 'Ville'",
        ),
        (b"type;nom\nstructure;X\n", 422, "the first line lacks the columns 'référence'"),
    ],
)
def test_a_file_that_is_not_an_import_is_refused_saying_why(service, content, status, detail):
    response = service.api.post("/imports", files={"file": ("f", content)})
    assert response.status_code == status, response.text
    assert response.json()["detail"].startswith(detail)
    assert service.stored == 0


def test_the_template_is_the_committed_file_and_imports_as_it_is(service):
    committed = Path(__file__).parents[3] / "services" / "registry"
    for language, name in (("fr", "import-template.csv"), ("en", "import-template-en.csv")):
        response = service.api.get("/imports/template", params={"language": language})
        assert (response.status_code, response.content) == (200, (committed / name).read_bytes())
        assert response.content.startswith(codecs.BOM_UTF8)
        report = service.upload(response.content, dry_run="true")
        assert (report["problems"], report["added"]) == ([], {"structure": 1, "peer_worker": 1, "employment": 1})


def test_a_long_import_answers_202_and_is_followed_to_its_report(store_env):
    app = bootstrap(settings_on(store_env, import_answer_within_seconds=0))
    rows = [peer_worker(f"P-{n}", name=f"Pair {n}") for n in range(600)]
    with ServedApp(app) as served, httpx.Client(base_url=served.url, headers=ADMIN, timeout=60) as api:
        response = api.post("/imports", files={"file": ("long.csv", csv(rows))})
        assert response.status_code == 202, response.text
        assert (response.json()["status"], response.json()["rows"]) == ("running", 600)
        seen = []

        def ended() -> bool:
            seen.append(api.get(response.headers["Location"]).json())
            return seen[-1]["status"] == "done"

        eventually(ended, timeout=120)
        assert seen[-1]["added"]["peer_worker"] == 600 and seen[-1]["rows_done"] == 600
        assert all(view["rows_done"] <= 600 for view in seen)
        assert api.get("/imports/00000000-0000-0000-0000-000000000000").status_code == 404


def test_only_the_import_takes_a_body_that_is_not_utf8(service):
    # The upload's exemption from the check of JSON bodies is the import's path alone: a
    # JSON route's 422 would echo the bytes, and fail on them (a 500).
    form = b'--b\r\nContent-Disposition: form-data; name="name"; filename="x"\r\n\r\n\xe9\xff\r\n--b--\r\n'
    response = service.api.post(
        "/structures", content=form, headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert (response.status_code, response.json()["detail"]) == (
        400,
        "the request body is not UTF-8 (byte 0xe9 at position 66): send JSON encoded as UTF-8",
    )


def test_the_demo_spreadsheet_is_its_script_s_and_imports_whole(service):
    from demo import census_sheet

    assert census_sheet.PATH.read_bytes() == census_sheet.content()
    report = service.upload(census_sheet.PATH.read_bytes())
    assert (report["refused"], report["added"]) == (0, {"structure": 24, "peer_worker": 96, "employment": 73})


def test_facts_recorded_since_the_import_are_no_difference(service):
    service.upload(csv([*CENSUS[:2], employment("P-1", "S-1", on="01/03/2021")]))
    peer_id = record_id(Kind.PEER_WORKER, "P-1")
    employment_id = record_id(Kind.EMPLOYMENT, "P-1/S-1/2021-03-01")
    assert (
        service.api.post(
            f"/peer-workers/{peer_id}/employments/{employment_id}/end", json={"ends_on": "2022-01-01"}
        ).status_code
        == 200
    )
    assert (
        service.api.post(
            f"/peer-workers/{peer_id}/move", json={"departement": "69", "effective_on": "2022-06-01"}
        ).status_code
        == 200
    )
    again = service.upload(csv([*CENSUS[:2], employment("P-1", "S-1", on="01/03/2021")]))
    assert (again["problems"], again["unchanged"]) == ([], 3)
    ended_otherwise = service.upload(csv([employment("P-1", "S-1", on="01/03/2021", ends="01/02/2022")]))
    assert problems(ended_otherwise) == [
        (
            2,
            None,
            (
                f"the row differs from employment {employment_id}, imported before with this key: end date 2022-01-01 there, "
                f"2022-02-01 here. Correct the record through the API (POST /peer-workers/{peer_id}/employments/{employment_id}/correct), or the row"
            ),
        )
    ]


def test_the_command_prints_the_problems_and_the_summary_and_exits_by_outcome(store_env, tmp_path):
    from io import StringIO

    from peerwork_registry.__main__ import main
    from peerwork_registry.imports.command import run_import

    settings = settings_on(store_env)
    (tmp_path / "census.csv").write_bytes(csv([*CENSUS, peer_worker("P-2", departement="20")]))
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")

    def command(path: str, **flags: bool) -> tuple[int, str]:
        out = StringIO()
        flags = {"dry_run": False, "all_or_nothing": False, **flags}
        return run_import(settings, str(tmp_path / path), out=out, err=StringIO(), **flags), out.getvalue()

    refused = "line 5, column 'département': '20' is not a département code of the INSEE COG 2024 (Corsica is 2A or 2B)"
    assert command("census.csv", dry_run=True) == (1, (
        f"{refused}\n4 rows: 1 structures, 1 peer workers, 1 employments to add (a dry run: nothing stored); "
        "0 unchanged; 1 refused\n"
    ))
    assert command("census.csv", all_or_nothing=True)[1].endswith(
        "to add once no row is refused (all or nothing: nothing stored); 0 unchanged; 1 refused\n"
    )
    assert command("census.csv") == (1, f"{refused}\n4 rows: 1 structures, 1 peer workers, 1 employments added; 0 unchanged; 1 refused\n")
    assert command("photo.png")[0] == command("missing.csv")[0] == 2
    registry = registry_of(settings)
    assert registry.get_structure(record_id(Kind.STRUCTURE, "S-1")).name == "Hébergement Éole"
    # Imported as who: the operator's login, and the file.
    (_, provenance), = registry.history(record_id(Kind.STRUCTURE, "S-1"))
    assert provenance.by.startswith("import of census.csv by ")
    registry.close()
    with pytest.raises(SystemExit) as usage:
        main(["import"])
    assert usage.value.code == 2


def test_a_row_refused_halfway_through_its_keys_leaves_them_to_the_next_rows(service):
    # A SIRET let go by a correction, then a row that takes it up but is refused for its
    # name: the SIRET stays free for the next row of the file.
    siret = "73282932000074"
    first = service.api.post("/structures", json={"name": "Alpha", "siret": siret, "departement": "38", "sector": "other"})
    corrected = {"siret": None, "reason": "the parent association's SIRET"}
    assert service.api.post(f"/structures/{first.json()['id']}/correct", json=corrected).status_code == 200
    assert service.api.post("/structures", json={"name": "Beta", "departement": "38", "sector": "other"}).status_code == 201
    report = service.upload(csv([structure("S-1", "Beta", siret=siret), structure("S-2", "Gamma", siret=siret)]))
    assert [(line, column) for line, column, _ in problems(report)] == [(2, "nom")]
    assert service.api.get(f"/structures/{record_id(Kind.STRUCTURE, 'S-2')}").json()["siret"] == siret


def test_a_file_over_the_import_s_limit_is_refused_naming_it(store_env):
    app = bootstrap(settings_on(store_env, import_max_bytes=100_000))
    with ServedApp(app) as served, httpx.Client(base_url=served.url, headers=ADMIN, timeout=60) as api:
        large = csv([peer_worker(f"P-{n}", name=f"Pair {n}") for n in range(2000)])
        response = api.post("/imports", files={"file": ("large.csv", large)})
        assert (response.status_code, response.json()["detail"]) == (
            413, "the request body is larger than the 100000 bytes this service takes"
        )
        # Elsewhere the service's own limit stands.
        response = api.post("/structures", content=b"{" + b" " * 70_000 + b"}", headers={"content-type": "application/json"})
        assert (response.status_code, response.json()["detail"]) == (
            413, "the request body is larger than the 65536 bytes this service takes"
        )
