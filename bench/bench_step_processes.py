"""What a step process costs in a run launched as a deployment launches it (the definitions' own
multiprocess executor, not the in-process runs of the demo and the tests).

One TVMaze day (3 fetches, 3 loads, the dbt build of its models with every test, a freshness check: 8
steps) through `dagster asset materialize`, from the sample API on 127.0.0.1, in two cases that differ
only in how step processes start:
  - spawn (`spawned_steps.py`, the baseline): each step process imports Dagster, dbt and the definitions;
  - forkserver (the project's executor): steps are forked from a process that imported them once.
Each case keeps its own lake and DuckDB file (as a deployment does: dbt's saved parse applies), has one
warm-up run, then the cases alternate, `--repeat` runs each (default 3); medians and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tv_assets.sample_api.server import SampleServer  # noqa: E402

DAY = "2025-01-06"
CASES = {
    "spawn": ["-f", str(ROOT / "bench" / "spawned_steps.py")],
    "forkserver": ["-m", "tv_assets.definitions"],
}


def materialize(case: str, folder: Path, server_url: str) -> float:
    env = {
        **os.environ,
        "DAGSTER_HOME": str(folder / "home"),
        "TV_ASSETS_START_DATE": "2020-01-01",
        "TV_ASSETS_SOURCES": "sample",
        "TV_ASSETS_SAMPLE_URL": server_url,
        "TV_ASSETS_LAKE_DIR": str(folder / "lake"),
        "TV_ASSETS_DUCKDB_PATH": str(folder / "warehouse.duckdb"),
    }
    (folder / "home").mkdir(parents=True, exist_ok=True)
    dagster = Path(sys.executable).parent / "dagster"
    command = [str(dagster), "asset", "materialize", *CASES[case], "--select", "group:tvmaze", "--partition", DAY]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    steps = done.stdout.count("STEP_SUCCESS") + done.stderr.count("STEP_SUCCESS")
    if done.returncode != 0 or steps != 8:
        raise SystemExit(f"{case}: exit {done.returncode}, {steps} steps succeeded\n{done.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times: dict[str, list[float]] = {case: [] for case in CASES}
    with SampleServer() as server, tempfile.TemporaryDirectory(prefix="tv_assets_steps_") as tmp:
        for case in CASES:
            print(f"warm-up {case}: {materialize(case, Path(tmp) / case, server.url):.1f} s", flush=True)
        for _ in range(args.repeat):
            for case in CASES:
                times[case].append(materialize(case, Path(tmp) / case, server.url))
                print(f"{case}: {times[case][-1]:.1f} s", flush=True)
    medians = {case: statistics.median(runs) for case, runs in times.items()}
    ratio = medians["spawn"] / medians["forkserver"]
    for case, runs in times.items():
        print(f"{case}: median {medians[case]:.1f} s (runs: {', '.join(f'{t:.1f}' for t in runs)})")
    print(f"forkserver is {ratio:.2f}x faster than spawn for one TVMaze day of 8 steps")
    out = ROOT / "bench" / "results" / "step_processes.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"runs_s": times, "median_s": medians, "spawn_over_forkserver": ratio}, indent=2))


if __name__ == "__main__":
    main()
