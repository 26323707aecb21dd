import subprocess
import sys

import pytest
from pydantic import ValidationError

from peerwork_common.messaging.nats import servers_and_credentials
from peerwork_registry.config import Settings as RegistrySettings
from peerwork_reporting.config import Settings as ReportingSettings

PRODUCTION_REGISTRY = {
    "environment": "production",
    "nats_user": "registry",
    "nats_password": "secret",
    "persistence": "postgres",
    "postgres_password": "secret",
    "auth_jwt_secret": "s" * 32,
    "name_index_key": "k" * 32,
}


def test_production_refuses_every_missing_setting_and_names_its_variable() -> None:
    with pytest.raises(ValidationError) as refusal:
        RegistrySettings(environment="production", auth_jwt_secret=None)  # tests set one
    message = str(refusal.value)
    assert "REGISTRY_NATS_USER and REGISTRY_NATS_PASSWORD must be set" in message
    assert "REGISTRY_PERSISTENCE must be postgres" in message
    assert "one of REGISTRY_AUTH_JWT_SECRET, REGISTRY_AUTH_PUBLIC_KEY, REGISTRY_AUTH_JWKS_URL must be set" in message
    assert "REGISTRY_NAME_INDEX_KEY must be set to at least 32 random characters" in message


def test_production_refuses_postgres_without_a_password() -> None:
    with pytest.raises(ValidationError, match="REGISTRY_POSTGRES_PASSWORD must be set"):
        RegistrySettings(**{**PRODUCTION_REGISTRY, "postgres_password": ""})


@pytest.mark.parametrize("key", [None, "short"])
def test_production_refuses_the_development_name_index_key_or_a_short_one(key) -> None:
    settings = {**PRODUCTION_REGISTRY}
    settings.pop("name_index_key") if key is None else settings.update(name_index_key=key)
    with pytest.raises(ValidationError, match="REGISTRY_NAME_INDEX_KEY must be set to at least 32 random characters"):
        RegistrySettings(**settings)


def test_production_accepts_a_complete_configuration() -> None:
    assert RegistrySettings(**PRODUCTION_REGISTRY).environment == "production"


def test_development_needs_nothing() -> None:
    assert RegistrySettings().persistence == "sqlite"


def test_production_refuses_a_short_token_secret() -> None:
    with pytest.raises(ValidationError, match="REPORTING_AUTH_JWT_SECRET must be at least 32 random characters"):
        ReportingSettings(environment="production", nats_user="reporting", nats_password="x", auth_jwt_secret="short")


def test_production_refuses_a_missing_verification_key() -> None:
    with pytest.raises(ValidationError, match="one of REPORTING_AUTH_JWT_SECRET, .* must be set"):
        ReportingSettings(environment="production", nats_user="reporting", nats_password="x", auth_jwt_secret=None)


def test_an_identity_provider_needs_no_secret() -> None:
    settings = RegistrySettings(
        **{**PRODUCTION_REGISTRY, "auth_jwt_secret": None, "auth_jwks_url": "https://idp.example/jwks"}
    )
    assert settings.auth_jwks_url == "https://idp.example/jwks"


def test_one_verification_key_only() -> None:
    with pytest.raises(ValidationError, match="set only one of REGISTRY_AUTH_JWT_SECRET"):
        RegistrySettings(auth_jwt_secret="s" * 32, auth_public_key="-----BEGIN PUBLIC KEY-----")


def test_the_service_exits_with_the_reason_instead_of_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "peerwork_registry"],
        env={"REGISTRY_ENVIRONMENT": "production", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "REGISTRY_NATS_USER and REGISTRY_NATS_PASSWORD must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_credentials_reach_every_server_of_a_cluster_and_come_back_intact() -> None:
    settings = RegistrySettings(
        nats_url="nats://one:4222,nats://two:4222", nats_user="registry", nats_password="p@ss:w/rd"
    )
    servers, user, password = servers_and_credentials(settings.nats_servers)
    assert servers == ["nats://one:4222", "nats://two:4222"]
    assert (user, password) == ("registry", "p@ss:w/rd")


@pytest.mark.parametrize("schema", ["Peerwork", "peer-work", "1st", ""])
def test_a_schema_name_that_needs_quotes_is_refused_with_the_rule(schema) -> None:
    # The migrations set search_path unquoted: such a name would make them wait for ever.
    with pytest.raises(ValidationError, match="lower-case letters, digits and _"):
        ReportingSettings(postgres_schema=schema)
    assert ReportingSettings(postgres_schema="peerwork_2026").postgres_schema == "peerwork_2026"
