"""``make run``: NATS with JetStream and every service, on this machine, on SQLite files.

Data lives under ``PEERWORK_DATA_DIR`` (default ``.data``), so a second run resumes where
the first stopped. Ctrl-C stops everything.

The services verify bearer tokens with a development secret made once under the data
directory (``auth-secret``); tokens for staff and for an admin are printed at start.
"""

import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from peerwork_common.devtools.nats_server import NatsServer, wait_for_port
from peerwork_common.messaging.nats import LOCAL_PORT
from peerwork_common.security.auth import ADMIN, ANALYST, STAFF
from peerwork_common.security.tokens import issue

log = logging.getLogger("peerwork")


class LocalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PEERWORK_")

    data_dir: Path = Path(".data")
    nats_port: int = LOCAL_PORT
    registry_port: int = 8001
    accompaniment_port: int = 8002
    reporting_port: int = 8003


def development_secret(data: Path) -> str:
    """The secret this machine's services share, made the first time (readable by its owner
    only): kept, so that tokens issued earlier stay valid across runs."""
    path = data / "auth-secret"
    if not path.exists():
        data.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = LocalSettings()
    data = settings.data_dir.resolve()
    nats = NatsServer(data / "nats", settings.nats_port)
    secret = development_secret(data)
    services = {
        "registry": (settings.registry_port, {"REGISTRY_SQLITE_PATH": str(data / "registry.sqlite")}),
        "accompaniment": (
            settings.accompaniment_port,
            {"ACCOMPANIMENT_SQLITE_PATH": str(data / "accompaniment.sqlite")},
        ),
        "reporting": (settings.reporting_port, {"REPORTING_STORE_PATH": str(data / "reporting.sqlite")}),
    }
    processes: dict[str, subprocess.Popen[bytes]] = {}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        nats.start()
        log.info("NATS with JetStream: %s (data in %s)", nats.url, nats.store_dir)
        for name, (port, env) in services.items():
            prefix = name.upper()
            processes[name] = subprocess.Popen(
                [sys.executable, "-m", f"peerwork_{name}"],
                env={
                    **os.environ,
                    **env,
                    f"{prefix}_PORT": str(port),
                    f"{prefix}_NATS_URL": nats.url,
                    f"{prefix}_AUTH_JWT_SECRET": secret,
                },
                start_new_session=True,  # stopped by us, once, before NATS
            )
        for name, (port, _) in services.items():
            wait_for_port("127.0.0.1", port, timeout=60, process=processes[name])
        log.info("\npeerwork is running. API docs:")
        for name, (port, _) in services.items():
            log.info("  %-14s http://127.0.0.1:%d/docs", name, port)
        log.info("  %-14s http://127.0.0.1:%d/asyncapi.html (every service serves it)", "events", settings.registry_port)
        _print_tokens(secret, data)
        log.info("Press Ctrl-C to stop.\n")
        _watch(processes)
    except KeyboardInterrupt:
        log.info("\nstopping...")
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes.values():
            process.wait(timeout=30)
        nats.stop()
        log.info("stopped; data kept in %s", data)


def _print_tokens(secret: str, data: Path) -> None:
    staff = issue(secret, "local staff", [STAFF], hours=12)
    admin = issue(secret, "local admin", [ADMIN, ANALYST], hours=12)
    log.info("\nBearer tokens, valid 12 hours (send 'Authorization: Bearer $TOKEN'):")
    log.info("  staff (registry, accompaniment):  export TOKEN=%s", staff)
    log.info("  admin (everything, exact figures): export ADMIN_TOKEN=%s", admin)
    log.info(
        "  more: AUTH_JWT_SECRET=$(cat %s) .venv/bin/python -m peerwork_common.security.tokens "
        "--subject you --role analyst\n",
        data / "auth-secret",
    )


def _watch(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    while True:
        for name, process in processes.items():
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with code {process.returncode}; stopping everything")
        time.sleep(0.5)
