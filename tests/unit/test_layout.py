"""The layout's promise: what a service runs never loads the development tools
(``peerwork_common.devtools``: the local stack, a local nats-server, a throwaway PostgreSQL),
nor the report's renderers before it renders."""

import subprocess
import sys

# Everything a service's process or an operator's command starts from.
RUNTIME_ENTRY_POINTS = (
    "peerwork_registry.bootstrap", "peerwork_registry.__main__",
    "peerwork_accompaniment.bootstrap", "peerwork_accompaniment.__main__",
    "peerwork_reporting.bootstrap", "peerwork_reporting.cli", "peerwork_reporting.__main__",
    "peerwork_common.messaging.streams", "peerwork_common.messaging.asyncapi",
    "peerwork_common.security.tokens", "peerwork_common.operations.probe",
)


def test_no_runtime_entry_point_imports_the_development_tools() -> None:
    script = (
        "import importlib, sys\n"
        f"for name in {RUNTIME_ENTRY_POINTS!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('peerwork_common.devtools')))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]", f"the runtime imports development tools: {loaded}"


# What renders the annual report: 76 MB of a reporting process when loaded at its start
# (bench/README.md, the services' memory), for a page most processes never render.
RENDERERS = ("weasyprint", "openpyxl", "altair", "vl_convert")


def test_a_service_loads_the_reports_renderers_only_when_it_renders() -> None:
    script = (
        "import importlib, sys\n"
        f"for name in {RUNTIME_ENTRY_POINTS!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {RENDERERS!r}))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]", f"the services load the report's renderers at start: {loaded}"
