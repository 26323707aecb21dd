# The two commands of the README: `make run` and `make test`. Each builds .venv if needed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGES := contracts common services/registry services/accompaniment services/reporting
MANIFESTS := pyproject.toml $(addsuffix /pyproject.toml,$(PACKAGES))
# The locks (README, "Dependencies and the locks"): third-party packages only, with hashes.
# The image installs the runtime one; .venv the development one (runtime + test + bench).
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
# What the locks resolve, read from the pyprojects (the packages, the root's extras, the
# build backends), and the local packages' names, left out: they are installed from the tree.
LOCK_INPUTS = $(PYTHON) requirements/lock_inputs.py
UV_VERSION := 0.13.9
UV_STAMP := $(VENV)/.uv-$(UV_VERSION)
# One lock for every platform (x86_64 and aarch64 images, macOS for developers), from
# Python 3.11 up; pip keeps the lines whose markers fit the machine it installs on.
LOCAL_NAMES = $(shell $(LOCK_INPUTS) --local $(PACKAGES))
LOCK_FLAGS = --universal --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command 'make lock' $(addprefix --no-emit-package ,$(LOCAL_NAMES))

.PHONY: run test bench demo demo-import install lock lock-upgrade clean

$(STAMP): $(MANIFESTS) $(DEV_LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation $(addprefix -e ./,$(PACKAGES))
	touch $(STAMP)

install: $(STAMP)

# Brings both locks in line with the pyprojects, keeping every pin that still fits (a new
# dependency is added at its newest version). The runtime lock is constrained by the
# development one, so the image runs exactly the versions the tests ran.
# The inputs are read first: a failed read must stop the lock, not hand uv nothing to lock.
lock: $(UV_STAMP)
	inputs=$$($(LOCK_INPUTS) --dev $(PACKAGES)) && printf '%s\n' "$$inputs" \
		| $(BIN)/uv pip compile - $(LOCK_FLAGS) $(UPGRADE) -o $(DEV_LOCK)
	inputs=$$($(LOCK_INPUTS) --runtime $(PACKAGES)) && printf '%s\n' "$$inputs" \
		| $(BIN)/uv pip compile - $(LOCK_FLAGS) -c $(DEV_LOCK) -o $(RUNTIME_LOCK)

# Moves every pin to the newest version the pyprojects allow.
lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

$(UV_STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	touch $(UV_STAMP)

run: $(STAMP)
	$(BIN)/peerwork-local

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

demo: $(STAMP)
	$(BIN)/python -m demo

# The sample spreadsheet (demo/README.md), into the store `make run` serves.
demo-import: $(STAMP)
	REGISTRY_SQLITE_PATH=$${PEERWORK_DATA_DIR:-.data}/registry.sqlite $(BIN)/python -m peerwork_registry import demo/recensement.csv

clean:
	rm -rf $(VENV) .data
