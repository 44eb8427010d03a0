"""daxlint: static analysis for the filesystem-DAX DMA vs truncate invariants."""
import os

#: kernel-integration/ — where the catalog, engines' glue and scripts live
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: the checkout's top directory
TOP = os.path.dirname(HERE)
#: the stub kernel header (daxlint_stub.h) that standalone files, the
#: fixtures among them, are compiled against
INCLUDE = os.path.join(HERE, "include")
