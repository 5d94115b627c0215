"""The Movies Dataset's ratings.csv at full size (26M rows): this project's path (the splitter's check
and gzip copy, then the warehouse's bulk load into a fresh DuckDB file) against a DuckDB scan of the
raw file (the floor) and a pandas read (what a hand-run script would do). Each case runs alone in a
fresh process; wall time and peak resident memory are reported, and every case must count 26M rows.

    python bench/bench_kaggle_ratings.py [--rows 26000000]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data" / "kaggle"
RESULTS = Path(__file__).parent / "results"

CASES = {
    "scan": """
import duckdb
from tv_assets.platform.warehouse import csv_reader
from tv_assets.defs.kaggle.client import ARCHIVES
spec = ARCHIVES["movies"].files["ratings"]
print(duckdb.connect().execute(f"select count(*) from {csv_reader(PATH, spec.columns)}").fetchone()[0])
""",
    "project": """
import gzip, os
from tv_assets.platform.warehouse import DuckDBWarehouse
from tv_assets.defs.kaggle.client import ARCHIVES, split_csv
spec = ARCHIVES["movies"].files["ratings"]
out = os.path.join(TMP, "ratings.csv.gz")
with open(PATH, encoding="utf-8", newline="") as text, gzip.open(out, "wt", compresslevel=1, encoding="utf-8", newline="") as good:
    split = split_csv(text, spec, good, "ratings.csv")
warehouse = DuckDBWarehouse(path=os.path.join(TMP, "w.duckdb"))
warehouse.replace_csv_partition("movies_ratings", "2026-01-01", out, spec.columns, split.rows)
print(warehouse.partition_profile("movies_ratings", "2026-01-01")[0])
""",
    "pandas": """
import pandas as pd
print(len(pd.read_csv(PATH, dtype={"userId": "int64", "movieId": "int64", "rating": "float64", "timestamp": "int64"})))
""",
}


def generate(path: Path, rows: int) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    with open(path, "w") as handle:
        handle.write("userId,movieId,rating,timestamp\n")
        for start in range(0, rows, 1_000_000):
            n = min(1_000_000, rows - start)
            users = np.sort(rng.integers(1, 270_000, n))
            block = zip(
                users.tolist(),
                rng.integers(1, 176_000, n).tolist(),
                (rng.integers(1, 11, n) / 2).tolist(),
                rng.integers(789_000_000, 1_501_000_000, n).tolist(),
                strict=True,
            )
            handle.write("".join(f"{u},{m},{r},{t}\n" for u, m, r, t in block))


def run(case: str, path: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        code = f"PATH, TMP = {str(path)!r}, {tmp!r}\n" + CASES[case]
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        stdout = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak resident memory
        wall = time.perf_counter() - started
    assert status == 0, (case, status)
    return {
        "case": case,
        "wall_s": round(wall, 1),
        "peak_gb": round(usage.ru_maxrss / 1024 / 1024, 2),
        "rows": int(stdout.strip().splitlines()[-1]),
    }  # the last line: DuckDB may draw a progress bar


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=26_000_000)
    args = parser.parse_args()
    path = DATA / f"ratings_{args.rows}.csv"
    generate(path, args.rows)
    results = [run(case, path) for case in ("scan", "project", "pandas")]
    assert all(r["rows"] == args.rows for r in results), results
    scan = results[0]["wall_s"]
    for r in results:
        r["vs_scan"] = round(r["wall_s"] / scan, 2)
        print(f"{r['case']:>8}: {r['wall_s']:7.1f} s  {r['vs_scan']:5.2f}x the scan  peak {r['peak_gb']} GB")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "kaggle_ratings.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
