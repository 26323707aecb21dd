"""The peak resident memory of the services the bench starts, from the kernel.

``VmHWM`` in ``/proc/<pid>/status`` is the highest resident set size the process has had:
exact, where sampling would miss a short peak. Writing ``5`` to ``/proc/<pid>/clear_refs``
brings it down to the current size, so that each stage's peak is its own.
"""

from pathlib import Path

from .processes import Process


def reset_peak(process: Process) -> None:
    Path(f"/proc/{process.popen.pid}/clear_refs").write_text("5")


def peak_mb(process: Process) -> float:
    """The peak since the process started or since ``reset_peak``, in MB (10^6 bytes)."""
    process.check_alive()
    for line in Path(f"/proc/{process.popen.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError(f"no VmHWM in /proc/{process.popen.pid}/status")
