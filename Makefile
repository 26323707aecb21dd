# The two commands of the README: `make run` and `make test`. Each builds .venv if needed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGES := contracts common services/registry services/accompaniment services/reporting
MANIFESTS := pyproject.toml $(addsuffix /pyproject.toml,$(PACKAGES))

.PHONY: run test bench demo demo-import install clean

$(STAMP): $(MANIFESTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(addprefix -e ./,$(PACKAGES)) -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

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
