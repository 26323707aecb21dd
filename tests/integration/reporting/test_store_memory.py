"""What a SQLite store keeps in memory: its writer's page cache, which a serving process holds
for as long as it runs (64 MB of it filled by one read after a fold at a million events:
bench/README.md, 2026-12-04), small once the store serves, bounded while it is rebuilt."""

from peerwork_reporting.storage.sqlite import SqliteFile
from peerwork_reporting.storage.store import MIGRATIONS

SERVING_KIB, BUILDING_KIB = 2_000, 16_384  # the most either may hold


def cache_kib(storage) -> int:  # noqa: ANN001
    with storage.transaction() as cursor:
        (size,) = cursor.execute("PRAGMA cache_size").fetchone()
    return -size  # negative: KiB


def test_a_serving_store_keeps_sqlites_small_page_cache(tmp_path):
    storage = SqliteFile(tmp_path / "s.sqlite").open(MIGRATIONS, durable=True)
    assert cache_kib(storage) <= SERVING_KIB


def test_a_store_being_rebuilt_has_a_bounded_cache_given_back_when_it_is_switched_to(tmp_path):
    storage = SqliteFile(tmp_path / "s.sqlite").open(MIGRATIONS, durable=False)
    assert SERVING_KIB < cache_kib(storage) <= BUILDING_KIB
    storage.make_durable()
    assert cache_kib(storage) <= SERVING_KIB
