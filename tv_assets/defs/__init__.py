"""One folder per source (and per cross-cutting area: dbt, operations, titles), each with a `definitions.py`
whose `definitions(settings)` returns its `dg.Definitions`. `tv_assets.definitions` finds them all."""
