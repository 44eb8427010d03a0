# daxlint - see README.md.  Every target works on a fresh Debian 12 (as root).
KDIR ?=
PYTHON ?= python3

.PHONY: all deps check test kernel-install kernel-uninstall bench help

all: help

help:
	@echo "make check [KDIR=<tree>]   check a kernel tree (default: Debian's 6.1)"
	@echo "make test                  run the test suite"
	@echo "make kernel-install KDIR=<tree>   install the rules for 'make coccicheck'"
	@echo "make kernel-uninstall KDIR=<tree>"
	@echo "make bench                 benchmarks (bench/)"

deps:
	bash kernel-integration/bootstrap.sh deps

check:
	bash kernel-integration/bootstrap.sh check $(KDIR)

test:
	bash kernel-integration/bootstrap.sh test

kernel-install:
	@test -n "$(KDIR)" || { echo "usage: make kernel-install KDIR=<kernel tree>"; exit 2; }
	bash kernel-integration/install-cocci.sh "$(KDIR)"

kernel-uninstall:
	@test -n "$(KDIR)" || { echo "usage: make kernel-uninstall KDIR=<kernel tree>"; exit 2; }
	bash kernel-integration/install-cocci.sh -u "$(KDIR)"

bench:
	bash kernel-integration/bootstrap.sh deps
	$(PYTHON) bench/cocci_bench.py
	$(PYTHON) bench/incremental_bench.py
	bash kernel-integration/bootstrap.sh deps tidy
	$(PYTHON) bench/tidy_bench.py
