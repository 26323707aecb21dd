"""Releases end to end: registry and reporting as processes over a real nats-server, on
SQLite files then on PostgreSQL. The public reads 2022 as released; a registration
backdated into 2022, recorded after the release, makes a revision the public sees, the
first version still readable."""

import httpx

from tests.e2e.services import STAFF, Service
from tests.helpers import CONSENT_BODY, eventually


def register(registry: Service, count: int, registered_on: str) -> None:
    with httpx.Client(base_url=registry.url, headers=STAFF) as client:
        for index in range(count):
            response = client.post("/peer-workers", json={
                "legal_basis": CONSENT_BODY,
                "display_name": f"P{index}", "departement": "69", "domains": ["addiction"],
                "registered_on": registered_on,
            })
            assert response.status_code == 201, response.text


def released(reporting: Service, **params: str) -> httpx.Response:
    return httpx.get(f"{reporting.url}/stats/national", params={"as_of": "2022-12-31", **params})


def versions(reporting: Service) -> list[dict]:
    listed = httpx.get(f"{reporting.url}/stats/releases").json()["releases"]
    return next((r["versions"] for r in listed if r["day"] == "2022-12-31"), [])


def test_a_backdated_registration_after_a_release_makes_a_revision_the_public_sees(stack):
    registry, reporting = stack
    register(registry, 12, "2022-03-01")
    eventually(lambda: released(reporting).status_code == 200 and released(reporting).json()["peer_workers"] == 12)
    # Releases made while the twelve came in were revised as they came: the latest has them.
    first = len(versions(reporting))
    assert released(reporting).headers["Release-Version"] == str(first)

    register(registry, 1, "2022-06-01")  # recorded today, counted in 2022
    eventually(lambda: len(versions(reporting)) == first + 1)
    assert "national.peer_workers" in versions(reporting)[first]["moved"]
    latest = released(reporting)
    # 13 beside version 1's 12 would tell one late registration: the revision hides it.
    assert latest.json()["peer_workers"] == "suppressed" and latest.headers["Release-Version"] == str(first + 1)
    assert released(reporting, version=str(first)).json()["peer_workers"] == 12
    refused = httpx.get(f"{reporting.url}/stats/national", params={"as_of": "2022-06-30"})
    assert refused.status_code == 422 and "2022-12-31" in refused.json()["detail"]
