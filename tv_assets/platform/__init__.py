"""What every source shares: lake, warehouse, HTTP client, dbt, partitions, payload bookkeeping, jobs.
It imports no source: `tv_assets/defs/<source>/` builds on it."""
