# newsarchive — `make demo` and `make test` are the quickstart; both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test run lock bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)  ## serve the bundled sample site on 127.0.0.1, crawl it, edit an article, crawl again
	$(BIN)/python demo/demo.py

test: $(STAMP)  ## the test suite (offline: a local server on 127.0.0.1)
	$(BIN)/python -m pytest

run: $(STAMP)  ## one crawl pass over sources.toml into archive.db
	$(BIN)/newsarchive crawl --db archive.db --sources sources.toml

bench: $(STAMP)  ## benchmark against the extraction bound on a generated local site (ARGS="--articles 10000")
	PYTHONPATH=. $(BIN)/python -m bench.run $(ARGS)

lock:  ## re-pin requirements.lock from pyproject.toml (needs uv in .venv)
	$(BIN)/python -m uv pip compile pyproject.toml --extra dev --python-version 3.11 --quiet -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
