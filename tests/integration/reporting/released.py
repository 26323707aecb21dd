"""The statistics API as the service builds it, with a releases store of the test's and a
publisher the test runs when it wants the releases made (the service runs it in the
background)."""

from collections.abc import Callable
from datetime import date

from fastapi import FastAPI

from peerwork_contracts.calendar import today
from peerwork_reporting.ports import Location
from peerwork_reporting.releases.publisher import Publisher
from peerwork_reporting.storage.releases import ReleaseStore
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import reporting_app


def released_app(
    store: StatisticsStore, location: Location, day: Callable[[], date] = today, threshold: int = 10
) -> tuple[FastAPI, Publisher, ReleaseStore]:
    releases = ReleaseStore(location)
    publisher = Publisher(store, releases, threshold, False, day, store.last_sequence)
    publisher.publish()
    return reporting_app(store, releases, day, disclosure_threshold=threshold), publisher, releases
