"""What `make lock` resolves, read from the pyprojects so that a new package, extra or build
backend needs no change here: prints one requirement a line for `uv pip compile -`, or with
--local the names of the local packages, which the locks leave out.

Usage: lock_inputs.py (--runtime | --dev | --local) PACKAGE_DIR...
"""

import sys
import tomllib
from pathlib import Path


def main(mode: str, packages: list[str]) -> None:
    manifests = {package: tomllib.loads(Path(package, "pyproject.toml").read_text())
                 for package in packages}
    workspace = tomllib.loads(Path("pyproject.toml").read_text())["project"]
    if mode == "--local":
        lines = [workspace["name"]] + [m["project"]["name"] for m in manifests.values()]
    else:
        # The packages themselves (uv reads their dependencies) and what builds them: they
        # are installed with --no-build-isolation, from the lock.
        lines = [f"./{package}" for package in packages]
        lines += sorted({r for m in manifests.values() for r in m["build-system"]["requires"]})
        if mode == "--dev":
            lines += [f".[{','.join(workspace['optional-dependencies'])}]"]
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
