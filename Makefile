# Two commands set everything up on a machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test examples benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The bundled example input -> blank workbook, validation report and every document in output/.
# input/med-fejl.xlsx has mistakes on purpose: its exit status 1 is what the demo shows.
demo: $(STAMP)
	@$(BIN)/sagsgenerator skabelon --ud output/indsatsforslag-skabelon.xlsx --overskriv
	@$(BIN)/sagsgenerator valider input/med-fejl.xlsx --marker output; status=$$?; \
	  if [ $$status -eq 1 ]; then \
	    echo "(Fejlene ovenfor er lagt ind med vilje i input/med-fejl.xlsx: sådan ser en rapport med fejl ud.)"; \
	  elif [ $$status -ne 0 ]; then exit $$status; fi
	@$(BIN)/sagsgenerator generer input/boern-og-unge.xlsx input/kronisk-sygdom.xlsx --ud output \
	  --register output/sagsgenerator.db

test: $(STAMP)
	$(BIN)/python -m pytest

# Rewrite input/*.xlsx from scripts/example_data.py.
examples: $(STAMP)
	$(BIN)/python scripts/make_examples.py input

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) output
