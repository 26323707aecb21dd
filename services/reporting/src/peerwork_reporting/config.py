from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from peerwork_common.settings import PostgresSettings, ServiceSettings


class Settings(ServiceSettings, PostgresSettings):
    """Reporting settings, read from ``REPORTING_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="REPORTING_")

    port: int = 8003
    store_path: Path = Path(".data/reporting.sqlite")  # when persistence is sqlite
    postgres_dbname: str = "peerwork_reporting"
    consumer_name: str = "reporting"
    # Most messages a pull fetches (it answers as soon as any is there). 1,000 rather than
    # 500: a batch is one commit, and with half the commits the projection caught up 10%
    # faster (20,000 events: 26,700 against 24,200 events/s, medians of 6 in turn).
    batch_size: int = 1000
    consumer_enabled: bool = True
    ack_wait: float = 30.0
    # Public figures hide counts of people from 1 to this many, and what would reveal them.
    disclosure_threshold: int = Field(default=10, ge=1)
    # Per client address on /stats and /reports, holders of a valid token excepted (429
    # beyond); 0: no limit.
    public_requests_per_minute: int = Field(default=600, ge=0)

    # Releases at the end of each closed quarter too, not only of each closed year.
    release_quarter_ends: bool = False
    # Seconds between two looks at whether the views or the day changed, to make the
    # releases missing and the revisions of those a later record changed.
    release_check_seconds: float = Field(default=60.0, gt=0)

    def production_problems(self) -> list[str]:
        return super().production_problems() + self.persistence_problems()
