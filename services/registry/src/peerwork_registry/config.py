from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from peerwork_common.settings import WriteServiceSettings, variable

# Development only: production refuses it (``production_problems``).
DEVELOPMENT_NAME_INDEX_KEY = SecretStr("development-name-index-key-not-for-production")


class Settings(WriteServiceSettings):
    """Registry settings, read from ``REGISTRY_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="REGISTRY_")

    port: int = 8001
    sqlite_path: Path = Path(".data/registry.sqlite")
    postgres_dbname: str = "peerwork_registry"
    hirings_enabled: bool = True  # records the accompaniment's hirings as employments
    hirings_consumer_name: str = "registry-hirings"
    # The key of the blind index display names are searched by (HMAC-SHA256): whoever holds
    # it and the lists' rows could try names; it never leaves the registry.
    name_index_key: SecretStr = DEVELOPMENT_NAME_INDEX_KEY
    # An import's upload (POST /imports) takes a spreadsheet: 20 MiB is some 200,000 rows of CSV.
    import_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    # How long the upload waits for the report before answering 202 with where to follow it.
    import_answer_within_seconds: float = Field(default=10.0, ge=0)

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        key = self.name_index_key.get_secret_value()
        if key == DEVELOPMENT_NAME_INDEX_KEY.get_secret_value() or len(key) < 32:
            problems.append(
                f"{variable(self, 'name_index_key')} must be set to at least 32 random characters of its own: "
                "display names are searched through a blind index keyed with it"
            )
        return problems
