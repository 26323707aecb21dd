"""The locks (requirements/*.txt) must hold what the pyprojects ask for: a dependency added
to a pyproject without `make lock` fails here, before it fails an install or the image."""

import re
import shutil
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
# The packages `make install` installs (and `make lock` locks the dependencies of).
MAKEFILE = (ROOT / "Makefile").read_text()
PACKAGES = re.search(r"^PACKAGES := (.*)$", MAKEFILE, re.MULTILINE)[1].split()


def read_lock(path: Path) -> dict[str, Version]:
    """The pins that apply to this machine (the lock is universal: markers choose)."""
    pins = {}
    for line in path.read_text().splitlines():
        if not line or line[0] in " #-":
            continue
        requirement = Requirement(line.rstrip(" \\"))
        if requirement.marker is None or requirement.marker.evaluate():
            (specifier,) = requirement.specifier
            pins[canonicalize_name(requirement.name)] = Version(specifier.version)
    return pins


def wanted(root: Path, *, dev: bool) -> list[tuple[str, Requirement]]:
    """Every third-party requirement of the local packages, with the file that asks for it."""
    manifests = {package: tomllib.loads((root / package / "pyproject.toml").read_text())
                 for package in PACKAGES}
    local = {canonicalize_name(m["project"]["name"]) for m in manifests.values()}
    asked = []
    for package, manifest in manifests.items():
        lines = manifest["project"].get("dependencies", []) + manifest["build-system"]["requires"]
        asked += [(f"{package}/pyproject.toml", line) for line in lines]
    if dev:
        extras = tomllib.loads((root / "pyproject.toml").read_text())["project"]
        asked += [("pyproject.toml", line)
                  for lines in extras["optional-dependencies"].values() for line in lines]
    return [(source, requirement) for source, requirement in
            ((source, Requirement(line)) for source, line in asked)
            if canonicalize_name(requirement.name) not in local
            and (requirement.marker is None or requirement.marker.evaluate())]


def extra_requirements(name: str, version: Version, extras: set[str]) -> list[Requirement]:
    """What `name[extras]` adds, read from the installed distribution when it is the locked
    version (.venv is installed from the development lock; another version is not checked)."""
    try:
        distribution = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return []
    if Version(distribution.version) != version:
        return []
    return [requirement for requirement in map(Requirement, distribution.requires or [])
            if requirement.marker is not None
            and any(requirement.marker.evaluate({"extra": extra}) for extra in extras)
            and not requirement.marker.evaluate({"extra": ""})]


def lock_problems(root: Path, lock: str, *, dev: bool) -> list[str]:
    pins = read_lock(root / "requirements" / lock)
    problems = []
    for source, requirement in wanted(root, dev=dev):
        name = canonicalize_name(requirement.name)
        needed = [(source, requirement)]
        if requirement.extras and name in pins:
            needed += [(f"{source} ({requirement})", added)
                       for added in extra_requirements(name, pins[name], requirement.extras)]
        for asker, each in needed:
            pin = pins.get(canonicalize_name(each.name))
            asked = f"{asker} asks for {each.name}{each.specifier}"
            if pin is None:
                problems.append(f"{asked}, which requirements/{lock} lacks")
            elif not each.specifier.contains(pin, prereleases=True):
                problems.append(f"{asked}, requirements/{lock} pins {pin}")
    return problems


def assert_current(root: Path) -> None:
    problems = (lock_problems(root, "runtime.txt", dev=False)
                + lock_problems(root, "dev.txt", dev=True))
    assert not problems, "the locks are out of date; run `make lock`:\n  " + "\n  ".join(problems)


def test_the_locks_hold_every_dependency_of_the_pyprojects():
    assert_current(ROOT)


def test_the_image_runs_the_versions_the_tests_ran():
    runtime, dev = (read_lock(ROOT / "requirements" / lock) for lock in ("runtime.txt", "dev.txt"))
    differing = {name: (pin, dev.get(name))
                 for name, pin in runtime.items() if dev.get(name) != pin}
    assert not differing, f"runtime and development pins differ, run `make lock`: {differing}"


def test_the_runtime_lock_has_no_test_or_bench_tool():
    runtime = read_lock(ROOT / "requirements" / "runtime.txt")
    assert not {"pytest", "hypothesis", "schemathesis", "aiohttp", "scipy"} & runtime.keys()


def copy_of_the_tree(tmp_path: Path) -> Path:
    for manifest in ["pyproject.toml"] + [f"{package}/pyproject.toml" for package in PACKAGES]:
        (tmp_path / manifest).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / manifest, tmp_path / manifest)
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    return tmp_path


def add_dependency(root: Path, package: str, requirement: str) -> None:
    manifest = root / package / "pyproject.toml"
    text = manifest.read_text()
    manifest.write_text(text.replace("dependencies = [", f'dependencies = ["{requirement}", ', 1))


def test_a_dependency_added_without_relocking_is_reported(tmp_path):
    root = copy_of_the_tree(tmp_path)
    add_dependency(root, "common", "tomlkit>=0.13")
    add_dependency(root, "services/reporting", "fastapi>=999")

    problems = lock_problems(root, "runtime.txt", dev=False)

    fastapi = read_lock(root / "requirements" / "runtime.txt")["fastapi"]
    assert problems == [
        "common/pyproject.toml asks for tomlkit>=0.13, which requirements/runtime.txt lacks",
        ("services/reporting/pyproject.toml asks for fastapi>=999,"
         f" requirements/runtime.txt pins {fastapi}"),
    ]
    try:
        assert_current(root)
    except AssertionError as failure:
        assert "run `make lock`" in str(failure)
    else:
        raise AssertionError("a stale lock passed the check")


def test_an_extra_asked_for_without_relocking_is_reported(tmp_path):
    root = copy_of_the_tree(tmp_path)
    add_dependency(root, "common", "eventsourcing[crypto]==9.5.6")

    problems = lock_problems(root, "runtime.txt", dev=False)

    assert any("eventsourcing[crypto]" in problem and "pycryptodome" in problem
               for problem in problems), problems
