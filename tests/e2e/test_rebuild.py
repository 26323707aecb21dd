"""Rebuilding reporting's views from the stream while it keeps serving, with the CLI."""

import subprocess
import sys
import threading

import httpx

from tests.e2e.services import STAFF, register
from tests.helpers import eventually

from .services import national


def rebuild(reporting) -> subprocess.CompletedProcess:  # noqa: ANN001
    return subprocess.run(
        [sys.executable, "-m", "peerwork_reporting", "rebuild", "--url", reporting.url],
        env=reporting.env, capture_output=True, text=True, timeout=120,
    )


def test_a_rebuild_while_commands_flow_switches_over_with_every_count_exact(stack, tmp_path):
    registry, reporting = stack
    register(registry, 150)
    eventually(lambda: national(reporting)["peer_workers"] == 150)
    writer = threading.Thread(target=register, args=(registry, 150, "69"))
    writer.start()  # the live views keep moving while the rebuild runs
    done = rebuild(reporting)
    writer.join()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "switched" in done.stdout
    pointer = (tmp_path / "reporting.sqlite.current").read_text().strip()
    assert pointer.startswith("reporting-") and (tmp_path / pointer).exists()
    eventually(lambda: national(reporting)["peer_workers"] == 300)
    assert httpx.get(f"{reporting.url}/stats/departments/69", params={"exact": "true"}, headers=STAFF).json()["peer_workers"] == 150

    # A restart opens the rebuilt store, and goes on from its position.
    reporting.stop()
    reporting.start()
    register(registry, 5)
    eventually(lambda: national(reporting)["peer_workers"] == 305)


def test_a_rebuild_is_for_staff_only(stack):
    _, reporting = stack
    response = httpx.post(f"{reporting.url}/operations/rebuild")
    assert response.status_code == 401
    assert "staff token" in response.json()["detail"]
    refused = rebuild(type("Anyone", (), {"url": reporting.url, "env": {**reporting.env, "REPORTING_STAFF_TOKEN": "wrong"}})())
    assert refused.returncode == 1 and "401" in refused.stderr
