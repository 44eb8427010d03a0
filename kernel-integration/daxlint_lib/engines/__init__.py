"""The engines daxlint runs, one module each, named after the engine:
cocci.py (Coccinelle), sparse.py (daxlint-sparse), tidy.py (the
clang-tidy module, clang-checker/).  An engine module provides

  available() -> bool
      whether the engine's tool is installed (or can be built here);
  run(ctx, rules, progress) -> (findings, errors)
      check ctx.paths under ctx.root (ctx also has profile, jobs, cache,
      standalone) for RULES (catalog ids the engine covers), calling
      progress(message) as it goes; FINDINGS are findings.Finding, an
      error is a message or a findings.tool_error() record (cli.py says
      how the records are reported).

The CLI knows an engine only through these two (cli.ENGINES).  The rest
of an engine lives beside it in modules named <engine>_<concern>.py, one
concern each: the tool's command line and identity, which files can hold
a finding (<engine>_select.py), the runs and their results cache
(<engine>_runner.py), what it could not see (<engine>_blind.py).  Nothing
here imports cli.py, and this file imports no engine.
"""
