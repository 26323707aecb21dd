"""The services as processes, as operators run them, and what the end-to-end tests ask them."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from peerwork_common.devtools.nats_server import free_port, wait_for_port
from peerwork_contracts.calendar import today
from tests.helpers import CONSENT_BODY, bearer

# The processes verify tokens with the tests' secret, which they find in the environment
# (tests/conftest.py).
STAFF = bearer("staff", subject="e2e staff")
ANALYST = bearer("analyst", subject="e2e analyst")  # the tests count from one: exact figures
EXACT = {"exact": "true"}
# The latest day figures are read for: whatever the tests record counts by then.
END_OF_YEAR = f"{today().year}-12-31"


class Service:
    def __init__(self, name: str, nats_url: str, data: Path, persistence: dict[str, str] | None = None) -> None:
        """``persistence``: settings that move the services' data from SQLite files in
        ``data`` elsewhere (see the ``persistence`` fixture)."""
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        prefix = name.upper()
        self.env = {
            **os.environ,
            f"{prefix}_PORT": str(self.port),
            f"{prefix}_NATS_URL": nats_url,
            "REGISTRY_SQLITE_PATH": str(data / "registry.sqlite"),
            "ACCOMPANIMENT_SQLITE_PATH": str(data / "accompaniment.sqlite"),
            "REPORTING_STORE_PATH": str(data / "reporting.sqlite"),
            "REPORTING_ACK_WAIT": "2",
            "REPORTING_RELEASE_CHECK_SECONDS": "0.5",  # a revision shows within the test's wait
            **(persistence or {}),
        }
        self.log = data / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Service":
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", f"peerwork_{self.name}"], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port("127.0.0.1", self.port, timeout=60, process=self.process)
        return self

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=30)


def national(reporting: Service) -> dict:
    return httpx.get(
        f"{reporting.url}/stats/national", params={"as_of": END_OF_YEAR, **EXACT}, headers=ANALYST
    ).json()


def register(registry: Service, count: int, departement: str = "38") -> None:
    with httpx.Client(base_url=registry.url, headers=STAFF) as client:
        for i in range(count):
            response = client.post("/peer-workers", json={"legal_basis": CONSENT_BODY, "display_name": f"P{i}", "departement": departement, "domains": ["mental_health"]})
            assert response.status_code == 201, response.text
