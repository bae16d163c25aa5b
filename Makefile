# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kgraph-installed

.PHONY: run test eval bench train clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the packaging metadata changes (the install is editable).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kgraph build data/ -o exports/

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/kgraph evaluate --markdown

bench: $(STAMP)
	$(BIN)/python -m kgraph.bench

train: $(STAMP)
	$(BIN)/kgraph train

clean:
	rm -rf $(VENV) exports/graph.* exports/*.csv .kgraph-cache
