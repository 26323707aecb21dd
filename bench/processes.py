"""The processes the bench starts: nats-server and the services, each logging to a file."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

_FORBIDDEN_PORT = 4222  # a developer's own nats-server may be listening there


def free_port() -> int:
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port != _FORBIDDEN_PORT:
            return port


def _nats_server_binary() -> str:
    local = Path(sys.prefix) / "bin" / "nats-server"
    if local.exists():
        return str(local)
    found = shutil.which("nats-server")
    if found is None:
        raise RuntimeError("nats-server not found: expected it in the virtualenv's bin/")
    return found


class Process:
    """A child process whose output goes to ``log_path``; stopped with SIGTERM, then SIGKILL."""

    def __init__(self, name: str, args: list[str], log_path: Path, env: dict[str, str] | None = None,
                 cwd: Path | None = None) -> None:
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed by stop()
        self.popen = subprocess.Popen(
            args, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})}, cwd=cwd,
        )

    def check_alive(self) -> None:
        if self.popen.poll() is not None:
            raise RuntimeError(
                f"{self.name} exited with code {self.popen.returncode}; "
                f"last lines of {self.log_path}:\n{self.log_tail()}"
            )

    def log_tail(self, lines: int = 20) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 10.0) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._log.close()


def start_nats(workdir: Path, label: str) -> tuple[Process, str]:
    """A JetStream-enabled nats-server on a free port, storing under ``workdir``."""
    port = free_port()
    store = workdir / f"nats-{label}"
    store.mkdir()
    server = Process(
        f"nats-server ({label})",
        [_nats_server_binary(), "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", str(store)],
        workdir / f"nats-{label}.log",
    )
    deadline = time.monotonic() + 15
    while True:
        server.check_alive()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server, f"nats://127.0.0.1:{port}"
        except OSError:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"nats-server did not listen on {port}:\n{server.log_tail()}")
            time.sleep(0.05)


def start_service(module: str, env: dict[str, str], workdir: Path, port: int,
                  log_name: str | None = None) -> tuple[Process, str]:
    """``python -m <module>`` with ``env``, logging to ``<log_name or module>.log``; returns
    once its /health answers."""
    log_path = workdir / f"{log_name or module}.log"
    service = Process(module, [sys.executable, "-m", module], log_path, env, workdir)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        service.check_alive()
        try:
            if httpx.get(f"{url}/health", timeout=1.0).status_code == 200:
                return service, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            service.stop()
            raise RuntimeError(f"{module} did not become healthy:\n{service.log_tail()}")
        time.sleep(0.1)
