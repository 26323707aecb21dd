from collections.abc import Callable
from pathlib import Path

import pytest

from peerwork_reporting.locations import Location

from .statistics_locations import KINDS, locations


@pytest.fixture(params=KINDS)
def statistics_location(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], Location]:
    """Names to statistics store locations, on SQLite then on PostgreSQL."""
    return locations(request, tmp_path)
