# lit configuration of the clang-tidy module's tests (clang-checker/test).
# Run by tests/test_tidy.py:
#   python3 /usr/lib/llvm-16/build/utils/lit/lit.py -sv \
#       --param plugin=<DaxlintTidyModule.so> clang-checker/test
import os
import sys

import lit.formats

config.name = "daxlint-tidy"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".c"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(
    lit_config.params.get("exec_root") or "/tmp", "daxlint-tidy-lit")

plugin = lit_config.params.get("plugin") or os.environ.get(
    "DAXLINT_TIDY_PLUGIN")
if not plugin:
    lit_config.fatal("pass --param plugin=<DaxlintTidyModule.so>")
top = os.path.dirname(os.path.dirname(config.test_source_root))
include = os.path.join(top, "kernel-integration", "include")
filecheck = "/usr/lib/llvm-16/bin/FileCheck"
config.substitutions.append((
    "%check_tidy", "%s %s --plugin %s --filecheck %s --include %s" % (
        sys.executable, os.path.join(config.test_source_root, "check_tidy.py"),
        plugin, filecheck, include)))
