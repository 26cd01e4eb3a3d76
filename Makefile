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
demo: $(STAMP)
	$(BIN)/sagsgenerator skabelon --ud output/indsatsforslag-skabelon.xlsx
	-$(BIN)/sagsgenerator valider input/med-fejl.xlsx --marker output
	$(BIN)/sagsgenerator generer input/boern-og-unge.xlsx input/kronisk-sygdom.xlsx --ud output

test: $(STAMP)
	$(BIN)/python -m pytest

# Rewrite input/*.xlsx from scripts/example_data.py.
examples: $(STAMP)
	$(BIN)/python scripts/make_examples.py input

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) output
