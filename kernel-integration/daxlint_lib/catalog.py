"""The rule catalog (kernel-integration/rules.json), read by everything else."""
import json
import os

from . import HERE

CATALOG_PATH = os.path.join(HERE, "rules.json")


class Catalog:
    def __init__(self, path=CATALOG_PATH):
        with open(path) as f:
            data = json.load(f)
        self.path = path
        self.profiles = data["profiles"]
        self.engines = data["engines"]
        self.rules = data["rules"]
        self.by_id = {r["id"]: r for r in self.rules}

    def ids(self):
        return [r["id"] for r in self.rules]

    def rule(self, rule_id):
        return self.by_id[rule_id]

    def applies(self, rule_id, profile):
        return profile in self.by_id[rule_id]["profiles"]

    def covered_by(self, engine):
        """Rule IDs that ENGINE implements, in catalog order."""
        return [r["id"] for r in self.rules if engine in r["engines"]]

    def preview(self, engine):
        """Rule IDs that ENGINE implements but does not cover yet (its
        "preview" list in the engines section): run when the engine is
        asked for, never counted as coverage until every fixture and
        real-tree mutation of the rule passes with it."""
        return list(self.engines.get(engine, {}).get("preview", []))

    def runs(self, engine, rule_id):
        """Does ENGINE check RULE_ID when it runs (covered or preview)?"""
        return (engine in self.by_id[rule_id]["engines"] or
                rule_id in self.preview(engine))


_CACHE = None


def load():
    global _CACHE
    if _CACHE is None:
        _CACHE = Catalog()
    return _CACHE
