"""The legal basis of a peer worker's record (GDPR art. 9(2)) over real HTTP, on SQLite and
PostgreSQL, built through the composition root: required at registration, recorded for a
record that has none, audited, withdrawn (a consent), and shown in the lists."""

from datetime import date

import httpx
import pytest

from peerwork_registry.bootstrap import bootstrap
from peerwork_registry.config import Settings
from peerwork_registry.domain.peer_worker import PeerWorker
from tests.helpers import CONSENT_BODY, ServedApp, bearer, listed

STAFF = bearer("staff", subject="alice")
ADMIN = bearer("admin", subject="dpo")
ANNE = {"display_name": "Anne", "departement": "38", "domains": ["addiction"], "registered_on": "2022-01-03"}


@pytest.fixture
def served(store_settings):
    app = bootstrap(Settings(**store_settings, relay_enabled=False, hirings_enabled=False))
    with ServedApp(app) as server, httpx.Client(base_url=server.url, headers=STAFF) as api:
        yield app, api


def register(api: httpx.Client, legal_basis: dict) -> str:
    response = api.post("/peer-workers", json={**ANNE, "legal_basis": legal_basis})
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.mark.parametrize(("legal_basis", "field"), [
    (None, "legal_basis"),
    ({"basis": "explicit_consent", "consent_given_how": "signed_form"}, "consent_given_on"),
    ({"basis": "explicit_consent", "consent_given_on": "2022-01-03"}, "consent_given_how"),
    ({"basis": "health_or_social_care", "consent_given_on": "2022-01-03"}, "consent_given_on"),
    ({"basis": "legitimate_interest"}, "basis"),
    ({"basis": "explicit_consent", "consent_given_on": "2999-01-01", "consent_given_how": "signed_form"},
     "consent_given_on"),
])
def test_a_registration_without_a_valid_legal_basis_is_refused_and_stores_nothing(served, legal_basis, field):
    app, api = served
    body = ANNE if legal_basis is None else {**ANNE, "legal_basis": legal_basis}
    response = api.post("/peer-workers", json=body)
    assert response.status_code == 422, response.text
    assert field in str([error["loc"] for error in response.json()["detail"]])
    assert app.state.registry.recorder.max_notification_id() in (None, 0)


def test_the_legal_basis_is_in_the_record_and_who_recorded_it_in_the_audit(served):
    app, api = served
    anne = register(api, CONSENT_BODY)
    assert api.get(f"/peer-workers/{anne}").json()["legal_basis"] == {**CONSENT_BODY, "consent_withdrawn_on": None}
    changed = api.post(f"/peer-workers/{anne}/legal-basis", json={"basis": "health_or_social_care"},
                       headers=bearer("staff", subject="bob"))
    assert changed.status_code == 200, changed.text
    assert changed.json()["legal_basis"] == {
        "basis": "health_or_social_care", "consent_given_on": None, "consent_given_how": None,
        "consent_withdrawn_on": None,
    }
    history = api.get(f"/audit/records/{anne}", headers=ADMIN).json()
    assert [(event["event"], event["by"]) for event in history] == [
        ("PeerWorker.Registered", "alice"), ("PeerWorker.LegalBasisRecorded", "alice"),
        ("PeerWorker.LegalBasisRecorded", "bob"),
    ]
    again = api.post(f"/peer-workers/{anne}/legal-basis", json={"basis": "health_or_social_care"})
    assert again.status_code == 409 and "already" in again.json()["detail"]


def test_a_consent_withdrawn_leaves_the_record_only_for_past_counts_until_it_is_erased(served):
    app, api = served
    anne = register(api, CONSENT_BODY)
    other = register(api, {"basis": "health_or_social_care"})
    early = api.post(f"/peer-workers/{anne}/legal-basis/withdraw-consent", json={"withdrawn_on": "2014-11-30"})
    assert early.status_code == 409 and "2014-12-01" in early.json()["detail"]

    withdrawn = api.post(f"/peer-workers/{anne}/legal-basis/withdraw-consent", json={"withdrawn_on": "2023-05-02"},
                         headers=bearer("staff", subject="carol"))
    assert withdrawn.status_code == 200, withdrawn.text
    history = api.get(f"/audit/records/{anne}", headers=ADMIN).json()
    assert [(event["event"], event["by"]) for event in history][-2:] == [
        ("PeerWorker.Withdrawn", "carol"), ("PeerWorker.ConsentWithdrawn", "carol"),  # who recorded the withdrawal
    ]
    record = withdrawn.json()
    assert record["legal_basis"]["consent_withdrawn_on"] == "2023-05-02"
    assert record["withdrawn_on"] == "2023-05-02"  # out of the census from that day
    for path, body in [("move", {"departement": "69", "effective_on": "2023-06-01"}),
                       ("reinstate", {"reason": "by mistake"}),
                       ("legal-basis", {"basis": "health_or_social_care"})]:
        refused = api.post(f"/peer-workers/{anne}/{path}", json=body)
        assert refused.status_code == 409, (path, refused.text)
        assert "withdrew their consent on 2023-05-02" in refused.json()["detail"]

    assert listed(api, "/peer-workers", consent_withdrawn="true") == [anne]
    assert listed(api, "/peer-workers", consent_withdrawn="false") == [other]
    assert listed(api, "/peer-workers", legal_basis="health_or_social_care") == [other]
    [item] = api.get("/peer-workers", params={"consent_withdrawn": "true"}).json()["items"]
    assert (item["legal_basis"], item["consent_withdrawn_on"]) == ("explicit_consent", "2023-05-02")

    not_a_consent = api.post(f"/peer-workers/{other}/legal-basis/withdraw-consent", json={"withdrawn_on": "2023-05-02"})
    assert not_a_consent.status_code == 409 and "not on a consent" in not_a_consent.json()["detail"]

    assert api.delete(f"/peer-workers/{anne}", headers=ADMIN).status_code == 204  # erased at their request
    assert listed(api, "/peer-workers", consent_withdrawn="true") == []
    assert api.post("/operations/lists/rebuild", headers=ADMIN).status_code == 200
    assert listed(api, "/peer-workers") == [other]


def test_a_record_registered_by_a_hiring_has_no_legal_basis_until_staff_record_one(served):
    app, api = served
    nameless = PeerWorker.register(None, "38", ["addiction"], date(2023, 3, 1))
    app.state.registry.save(nameless)
    assert api.get(f"/peer-workers/{nameless.id}").json()["legal_basis"] is None
    assert listed(api, "/peer-workers", legal_basis="none") == [str(nameless.id)]
    recorded = api.post(f"/peer-workers/{nameless.id}/legal-basis", json=CONSENT_BODY)
    assert recorded.status_code == 200, recorded.text
    assert listed(api, "/peer-workers", legal_basis="none") == []
    assert listed(api, "/peer-workers", legal_basis="explicit_consent") == [str(nameless.id)]
