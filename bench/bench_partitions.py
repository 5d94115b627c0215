"""Partition scaling of the TVMaze graph, end to end, on the embedded default.

Measures in one process, each in its own fresh lake and DuckDB file:
  - 1 partition (median of 3 fresh warehouses)                 -> the baseline
  - a 30-partition backfill as one run                         -> goal: under 3x the baseline
  - the 1st partition, then 364 more as one backfill, then the 366th (median of 3)
                                                               -> goal: 366th under 1.5x the 1st
Everything goes through the real path: HTTP to the sample API on 127.0.0.1, lake files, DuckDB loads,
one `dbt build` per run with every test.

`--cases single,backfill` skips the year (about 20 minutes on 2 cores); the default runs all three.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import dagster as dg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tv_assets.sample_api.server import SampleServer  # noqa: E402

# The benchmark's deployment records from 2020 on (its fixed days), whatever `$DAGSTER_HOME` recorded.
os.environ["TV_ASSETS_START_DATE"] = "2020-01-01"

FIRST_DAY = date(2025, 1, 6)


def day(n: int) -> str:
    return (FIRST_DAY + timedelta(days=n)).isoformat()


class Workspace:
    """A fresh lake + DuckDB file under `root`, with resources pointing at them."""

    def __init__(self, root: Path, name: str, server_url: str) -> None:
        self.dir = root / name
        self.dir.mkdir()
        os.environ.update(
            TV_ASSETS_SOURCES="sample",
            TV_ASSETS_SAMPLE_URL=server_url,
            TV_ASSETS_LAKE_DIR=str(self.dir / "lake"),
            TV_ASSETS_DUCKDB_PATH=str(self.dir / "warehouse.duckdb"),
        )
        from tv_assets.definitions import build_resources
        from tv_assets.platform.settings import load_settings

        self.resources = build_resources(load_settings())

    def run(self, first: str, last: str, instance: dg.DagsterInstance) -> float:
        from tv_assets.runs import materialize_range

        os.environ["TV_ASSETS_DUCKDB_PATH"] = self.resources["warehouse"].path  # dbt reads it
        started = time.perf_counter()
        materialize_range(self.resources, instance, first, last)
        return time.perf_counter() - started


CASES = ("single", "backfill", "year")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of {', '.join(CASES)}")
    cases = parser.parse_args().cases.split(",")
    if unknown := set(cases) - set(CASES):
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    if "backfill" in cases and "single" not in cases:
        parser.error("the backfill is a ratio to the single partition: add `single`")
    results: dict[str, object] = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    # Every workspace lives under one temporary folder, removed at the end (a year of history is 132 MB).
    with (
        SampleServer() as server,
        dg.instance_for_test() as instance,
        tempfile.TemporaryDirectory(prefix="tv_assets_bench_") as tmp,
    ):
        root = Path(tmp)
        print("warm-up (imports, dbt adapter) ...", flush=True)
        Workspace(root, "warmup", server.url).run(day(0), day(0), instance)

        if "single" in cases:
            singles = [Workspace(root, f"single{i}", server.url).run(day(0), day(0), instance) for i in range(3)]
            single = statistics.median(singles)
            print(f"1 partition: {single:.1f} s (runs: {', '.join(f'{s:.1f}' for s in singles)})", flush=True)
            results["single_partition_s"] = round(single, 2)
            results["single_partition_runs_s"] = [round(s, 2) for s in singles]

        if "backfill" in cases:
            backfill_30 = Workspace(root, "backfill30", server.url).run(day(0), day(29), instance)
            print(f"30-partition single-run backfill: {backfill_30:.1f} s = {backfill_30 / single:.2f}x", flush=True)
            results["backfill_30_single_run_s"] = round(backfill_30, 2)
            results["backfill_30_ratio"] = round(backfill_30 / single, 2)
            results["goal_backfill_30_ratio_below"] = 3.0

        if "year" in cases:
            year = Workspace(root, "year", server.url)
            first = year.run(day(0), day(0), instance)
            history = year.run(day(1), day(364), instance)
            print(
                f"1st partition: {first:.1f} s; history of 364 more partitions in one run: {history:.1f} s", flush=True
            )
            lasts = [year.run(day(365), day(365), instance) for _ in range(3)]
            last = statistics.median(lasts)
            print(
                f"366th partition: {last:.1f} s = {last / first:.2f}x the 1st (runs: {', '.join(f'{s:.1f}' for s in lasts)})",
                flush=True,
            )
            results["first_partition_s"] = round(first, 2)
            results["history_364_partitions_s"] = round(history, 2)
            results["partition_366_s"] = round(last, 2)
            results["partition_366_runs_s"] = [round(s, 2) for s in lasts]
            results["partition_366_ratio"] = round(last / first, 2)
            results["goal_partition_366_ratio_below"] = 1.5
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "partitions.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
