# Pacewise: the README's two commands (play, test) and their friends.
# Everything installs itself: uv (into .tools/), the virtual environment, and Godot (cache folder).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pacewise-installed
# uv trusts the platform's certificate store, like pip and apt do (proxies with their own CA).
export UV_SYSTEM_CERTS := 1
UV = $(shell command -v uv 2>/dev/null || echo .tools/uv/bin/uv)

.PHONY: play test lint typecheck unit bench godot browser setup clean help package deb tarball screenshots display godot-extras

help:
	@echo "make play   - play Pacewise (headset, desktop window, or headless demo)"
	@echo "make test   - install everything and run every check and test"
	@echo "make bench  - measure speed and memory into docs/performance.md"
	@echo "make package     - build/pacewise-linux/: the game with its own Python, run with ./play"
	@echo "make deb         - build/pacewise_VERSION_amd64.deb (installs under /opt/pacewise)"
	@echo "make tarball     - build/pacewise-VERSION-linux-x86_64.tar.gz (unpack anywhere, ./play)"
	@echo "make screenshots - pictures of the world, the panel, the props and every level (docs/images)"

play: setup godot
	$(BIN)/pacewise play

test: setup godot browser godot-extras lint typecheck unit

setup: $(STAMP)

$(STAMP): requirements/dev.lock pyproject.toml
	@if ! command -v uv >/dev/null 2>&1 && [ ! -x .tools/uv/bin/uv ]; then \
	  echo "installing uv $(UV_VERSION) into .tools/uv"; \
	  $(PYTHON) -m pip --version >/dev/null 2>&1 || { echo "error: $(PYTHON) has no pip; install python3-pip (Debian/Ubuntu: apt-get install python3-pip)"; exit 1; }; \
	  $(PYTHON) -m pip install --quiet --disable-pip-version-check --target .tools/uv uv==$(UV_VERSION); \
	fi
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	VIRTUAL_ENV=$(VENV) $(UV) pip sync --quiet requirements/dev.lock
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps --no-build-isolation -e .
	touch $(VENV)/.gdignore $(STAMP); [ ! -d .tools ] || touch .tools/.gdignore

godot:
	@tools/get-godot --quiet >/dev/null

# Debian's Chromium for the dashboard's browser tests (never a downloaded browser build).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else \
	    echo "note: chromium is missing; browser tests will skip (as root: apt-get install chromium)"; \
	  fi; \
	fi

# Xvfb: the virtual X display that pictures and the window tests run Godot under (never a
# window on screen); xdotool types into it for the desktop rig's test.
display:
	@if ! command -v Xvfb >/dev/null 2>&1 || ! command -v xdotool >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Xvfb and xdotool for pictures and the window tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends xvfb xdotool >/dev/null; \
	  else \
	    echo "note: Xvfb or xdotool is missing; pictures and window tests need them (as root: apt-get install xvfb xdotool)"; \
	  fi; \
	fi

# Debian's Mesa CPU Vulkan (pictures), Monado (OpenXR without a headset), export templates and
# the Python that the packaged build carries.
godot-extras: display
	@tools/get-godot --quiet --with=render,xr,templates,python >/dev/null

# The Linux build in one folder with its own Python: build/pacewise-linux/play; the .deb and
# the tarball are made from that folder (see docs/packaging.md).
package: setup godot-extras
	tools/package build/pacewise-linux

deb: package
	tools/package-deb build/pacewise-linux build

tarball: package
	tools/package-tarball build/pacewise-linux build

# Pictures under Xvfb with lavapipe and no sound card: docs/images/{session,levels,props}.
screenshots: setup godot-extras
	tools/screenshots docs/images

lint: setup
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests
	$(BIN)/gdlint addons scenes

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

bench: setup godot
	$(BIN)/python -m pacewise.bench

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache .godot
