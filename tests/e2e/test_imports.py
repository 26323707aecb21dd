"""Imports into the registry, as operators run them (the route of the serving registry, the
command beside it on the same store), counted by reporting through NATS as the API's records
are; and an import killed mid-file, then run again, storing nothing twice."""

import re
import subprocess
import sys

import httpx
import pytest

from tests.e2e.services import STAFF, Service, national
from tests.helpers import CONSENT_BODY, bearer, eventually

ADMIN = bearer("admin", subject="e2e admin")
HEADERS = "type;référence;nom;département;secteur;domaines;date;structure;travailleur pair;base légale"


def spreadsheet(*rows: str) -> bytes:
    return "\r\n".join([HEADERS, *rows]).encode("cp1252")


def peer_workers(count: int, start: int = 0) -> list[str]:
    return [f"travailleur pair;P-{n};Pair {n};38;;addiction;04/01/2021;;;soins" for n in range(start, start + count)]


def import_command(registry: Service, path, *arguments: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "peerwork_registry", "import", str(path), *arguments],
        env=registry.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_imported_rows_are_counted_as_the_apis_are(stack, tmp_path):
    registry, reporting = stack
    with httpx.Client(base_url=registry.url, timeout=60) as client:
        structure = client.post(
            "/structures", json={"name": "Relais", "departement": "69", "sector": "addiction"}, headers=STAFF
        ).json()["id"]
        worker = client.post(
            "/peer-workers", json={"legal_basis": CONSENT_BODY, "display_name": "Anne", "departement": "38", "domains": ["addiction"]},
            headers=STAFF,
        ).json()["id"]
        client.post(f"/peer-workers/{worker}/employments", json={"structure_id": structure}, headers=STAFF)
        content = spreadsheet(
            "structure;S-1;Le Relais;26;shelter_housing;;02/05/2019;;",
            "structure;S-2;L'Étape;2A;mental_health;;02/05/2019;;",
            *peer_workers(3),
            "emploi;;;;;;01/02/2021;S-1;P-0",
            "emploi;;;;;;01/03/2021;S-2;P-1",
        )
        response = client.post("/imports", files={"file": ("recensement.csv", content)}, headers=ADMIN)
        assert response.status_code == 200 and response.json()["refused"] == 0, response.text
    eventually(lambda: national(reporting)["employed_peer_workers"] == 3)
    figures = national(reporting)
    assert (figures["peer_workers"], figures["partner_structures"], figures["departements_covered"]) == (4, 3, 4)
    # The command, beside the serving registry: its relay finds the events in the store.
    (tmp_path / "more.csv").write_bytes(spreadsheet(*peer_workers(2, start=3)))
    command = import_command(registry, tmp_path / "more.csv")
    out, err = command.communicate(timeout=120)
    assert command.returncode == 0, err
    assert out.splitlines()[-1] == "2 rows: 0 structures, 2 peer workers, 0 employments added; 0 unchanged; 0 refused"
    eventually(lambda: national(reporting)["peer_workers"] == 6)


@pytest.mark.timeout(600)  # a bound for a hung test only: each step waits for its condition
def test_an_import_killed_mid_file_then_run_again_stores_nothing_twice(stack, tmp_path):
    registry, reporting = stack
    rows = 3000
    (tmp_path / "census.csv").write_bytes(spreadsheet(*peer_workers(rows)))
    command = import_command(registry, tmp_path / "census.csv")
    # A line of progress a batch (stderr is no terminal): the first batch done, the file not.
    for line in command.stderr:
        if (done := re.search(r"(\d+)/\d+ rows", line)) and 0 < int(done[1]) < rows:
            command.kill()
            break
    assert command.wait() == -9, "the import ended before it could be killed: make the file longer"
    again = import_command(registry, tmp_path / "census.csv")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    summary = out.splitlines()[-1]
    added, unchanged = map(
        int, re.search(r"(\d+) peer workers, 0 employments added; (\d+) unchanged", summary).groups()
    )
    assert (added + unchanged, unchanged > 0) == (rows, True)
    eventually(lambda: national(reporting)["peer_workers"] == rows, timeout=120)
