"""The sample API: one loopback server for every source, each source's routes and generator in its own
`tv_assets/defs/<source>/sample.py`. Used by the demo, the tests, `make dev` and the benchmarks only."""
