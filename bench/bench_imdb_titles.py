"""`imdb_titles` from full-scale IMDB files: this project's path against PySpark, pandas and a plain scan.

All four cases read the same generated files of one day (about 12.3M titles, 12.3M crew rows, 1.6M
ratings, 15.1M names; `imdb_data.py` makes them once) and build the same table (`imdb_cases.py`).
Each runs alone in a fresh process, in turn; its wall time and the peak resident memory of its whole
process tree (Python, dbt, the JVM, polled from /proc) are recorded, and the results must agree:
every case prints a fingerprint of the table it built.

Goals (issue 3): at least 5x faster than PySpark, peak memory under 6 GB, within 3x of the scan.
"""

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from imdb_data import DAY, ensure, file_path  # noqa: E402
from process_tree import run_measured  # noqa: E402


def case_spec(lake: Path) -> str:
    """What every case reads: the four files of `DAY`, and the scan's one query over them (the project's
    reader of IMDB's TSV, read side by side as the model reads them)."""
    from tv_assets.defs.imdb.client import COLUMNS
    from tv_assets.platform.warehouse import tsv_reader

    files = {d: str(file_path(lake, d)) for d in ("title_basics", "title_ratings", "title_crew", "name_basics")}
    scan_sql = " union all ".join(
        f"select '{d}' as file, count(*) as rows from {tsv_reader(path, COLUMNS[d][1])}" for d, path in files.items()
    )
    return json.dumps({"lake": str(lake), "day": DAY, "files": files, "scan_sql": scan_sql})


def measure(case: str, spec: str) -> dict:
    # The case's output (a DuckDB file, Parquet) is only fingerprinted, then removed with its folder.
    if case == "project":  # one warehouse path run after run, as a deployment has: dbt's saved parse fits it
        out = HERE / "data" / "imdb_project"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        try:
            return _measure(case, spec, out)
        finally:
            shutil.rmtree(out, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=f"tv_assets_bench_imdb_{case}_") as out:
        return _measure(case, spec, Path(out))


def _measure(case: str, spec: str, out: Path) -> dict:
    run = run_measured([sys.executable, str(HERE / "imdb_cases.py"), case, spec, str(out)])
    if run.returncode != 0:
        raise SystemExit(f"case {case} failed ({run.returncode}):\n{run.stderr[-4000:]}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    steps = [json.loads(line) for line in run.stderr.splitlines() if line.startswith('{"steps_s"')]
    return {
        "case": case,
        "wall_s": round(run.wall_s, 2),
        "inner_s": result["inner_s"],
        "peak_rss_gb": round(run.peak_rss_bytes / 1e9, 2),
        "fingerprint": result["fingerprint"],
        **(steps[0] if steps else {}),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="full", choices=["full", "demo"])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each fast case (median reported)")
    parser.add_argument("--cases", default="scan,project,pandas,pyspark")
    args = parser.parse_args()
    spec = case_spec(ensure(args.scale))
    runs: dict[str, list[dict]] = {}
    for case in args.cases.split(","):
        for _ in range(args.repeat if case in ("scan", "project") else 1):
            run = measure(case, spec)
            print(json.dumps(run), flush=True)
            runs.setdefault(case, []).append(run)
    summary = {
        case: {
            "wall_s": statistics.median(r["wall_s"] for r in rs),
            "peak_rss_gb": max(r["peak_rss_gb"] for r in rs),
            "runs": rs,
        }
        for case, rs in runs.items()
    }
    prints = {case: rs[0]["fingerprint"] for case, rs in runs.items() if case != "scan"}
    agree = len({json.dumps(p) for p in prints.values()}) <= 1
    report = {"scale": args.scale, "cases": summary, "results_agree": agree, "fingerprints": prints}
    base = summary.get("project", {}).get("wall_s")
    if base:
        for case in ("pyspark", "pandas"):
            if case in summary:
                report[f"{case}_over_project"] = round(summary[case]["wall_s"] / base, 2)
        if "scan" in summary:
            report["project_over_scan"] = round(base / summary["scan"]["wall_s"], 2)
    print(json.dumps({k: v for k, v in report.items() if k != "cases"}, indent=2))
    for case, s in summary.items():
        print(f"{case:8} {s['wall_s']:8.1f} s   peak {s['peak_rss_gb']:5.2f} GB")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / f"imdb_titles_{args.scale}.json").write_text(json.dumps(report, indent=2))
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
