"""The accompaniment's application on the test's store (SQLite or PostgreSQL), served by its
composition root, and a staff member's client of it."""

import httpx
import pytest

from peerwork_accompaniment.application import Accompaniments
from tests.helpers import ServedApp, accompaniment_app, bearer


@pytest.fixture
def application(store_env):
    application = Accompaniments(env=store_env)
    yield application
    application.close()


@pytest.fixture
def served(application):
    with ServedApp(accompaniment_app(application)) as served:
        yield served


@pytest.fixture
def api(served):
    with httpx.Client(base_url=served.url, headers=bearer("staff")) as client:
        yield client
