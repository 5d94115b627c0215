"""A production day at real volume, from an empty warehouse on the embedded default, day after day.

  cpi        the CPI's history, first (a movies mart reads it)
  letterboxd the Letterboxd archive arrives in the landing area on day 1 (`--kaggle full`: its real
             volume, 847k films, written once under bench/data/ by the demo's generator; `demo`: the demo's)
  movies     the same for The Movies Dataset (real volume: 45,466 films, 26M MovieLens ratings)
  day 1..N   every daily asset of the day in one run: TVMaze, TMDB and X fetched over HTTP from the
             sample API on 127.0.0.1 (a real day's volume: 150 tracked shows, the day's schedule), IMDB's
             four full-size files (12.3M titles; `imdb_data.py` writes them once per day, with the
             documented churn from one day to the next) fetched and checked over loopback from the
             same server, then the loads and one `dbt build` of every daily model with its tests, the
             title graph included

Each case runs alone in a fresh process (`production_day_case.py`): its wall time, the peak resident
memory of its whole process tree (Python, dbt), and after it the warehouse file's bytes, the lake's
bytes, the rows of every stored table, the title graph's model time. A year is projected from the
growth of days 2..N. `--checkout DIR` runs the same cases with another checkout's code (the "before").

Goals (issue 21): day 1 within 3 minutes and under 6 GB; days 2 and 3 no slower than day 1; each day
adds at most 10% of day 1's warehouse; a year at most 3x day 1's warehouse; the title graph at most 60 s;
each Kaggle drop at real volume within 2 minutes. `--kaggle full` needs a checkout whose `drop_archive`
streams a file (from 2026-12-02).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from imdb_data import DAY, ensure  # noqa: E402
from process_tree import run_measured  # noqa: E402

from tv_assets.sample_api.server import SampleServer  # noqa: E402

TITLE_GRAPH = (
    "int_titles__days",
    "int_titles__records",
    "int_titles__link_changes",
    "int_titles__links",
    "dim_title_daily",
    "dim_title",
    "title_signals_daily",
)


def days_from(first: str, n: int) -> list[str]:
    return [(date.fromisoformat(first) + timedelta(days=k)).isoformat() for k in range(n)]


def kaggle_archives(scale: str, day: str) -> dict[str, str]:
    """The real-volume archive of each Kaggle source for `day`, written once (`""`: the demo's size)."""
    if scale == "demo":
        return {"letterboxd": "", "movies": ""}
    from tv_assets.defs.kaggle.sample import REAL_VOLUME, write_archive

    folder = HERE / "data" / "kaggle_full"
    folder.mkdir(parents=True, exist_ok=True)
    archives = {}
    for source in ("letterboxd", "movies"):
        path = folder / f"{source}-{day}.zip"
        if not path.exists():
            started = time.perf_counter()
            partial = write_archive(source, path.with_suffix(".partial"), day, REAL_VOLUME)
            partial.rename(path)
            print(f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")
        archives[source] = str(path)
    return archives


def serve_imdb(server: SampleServer, source_lake: Path, day: str) -> None:
    """The day's generated IMDB files, served where the sample API serves that day's dump
    (`/imdb/<day>/<file>`): the day's run fetches and checks them over loopback, as it would from IMDB."""
    for path in (source_lake / "raw" / "imdb").glob(f"*/partition_date={day}/*.tsv.gz"):
        server.app.files[f"/imdb/{day}/{path.name}"] = path


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def used_bytes(warehouse: Path) -> int:
    """The bytes of the blocks the warehouse file holds data in. The file grows in whole blocks and keeps
    freed ones for reuse, so one day's growth of the file is noisy; the used blocks are what days add."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        block_size, used_blocks = con.execute("select block_size, used_blocks from pragma_database_size()").fetchone()
        return block_size * used_blocks


def stored_rows(warehouse: Path) -> dict[str, int]:
    """Rows of every table the warehouse stores (views store none, and counting one would compute it)."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE'"
            " order by 1, 2"
        ).fetchall()
        return {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}


def short_commit(checkout: Path) -> str:
    """The checkout's commit, which names a run's results by default."""
    return subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()


def case_env(sample_url: str, lake: Path, warehouse: Path, checkout: Path) -> dict[str, str]:
    """The environment of a case's process: `checkout`'s code on the embedded default in `lake` and
    `warehouse`, the daily sources from the sample API at `sample_url`."""
    env = os.environ | {
        "TV_ASSETS_SOURCES": "sample",
        "TV_ASSETS_SAMPLE_URL": sample_url,
        "TV_ASSETS_LAKE_DIR": str(lake),
        "TV_ASSETS_DUCKDB_PATH": str(warehouse),
        "TV_ASSETS_START_DATE": "2020-01-01",  # the benchmark's fixed days, whatever `$DAGSTER_HOME` recorded
        "PYTHONPATH": str(checkout),
    }
    env.pop("DAGSTER_HOME", None)
    return env


def measure(checkout: Path, case: str, day: str, env: dict[str, str], archive: str = "") -> dict:
    run = run_measured(
        [sys.executable, str(HERE / "production_day_case.py"), str(checkout), case, day, archive], env=env, cwd=checkout
    )
    if run.returncode != 0:
        raise SystemExit(f"case {case} {day} failed ({run.returncode}):\n{run.stderr[-6000:]}")
    inner = json.loads(run.stdout.strip().splitlines()[-1])
    return {
        "case": case,
        "day": day,
        "wall_s": round(run.wall_s, 1),
        "peak_rss_gb": round(run.peak_rss_bytes / 1e9, 2),
        **inner,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=3, help="daily runs after the drops (0: the CPI and drops only)")
    parser.add_argument("--imdb", default="full", choices=["full", "demo"], help="IMDB's scale (default full)")
    parser.add_argument("--kaggle", default="full", choices=["full", "demo"], help="the drops' scale (default full)")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the code to run (default this checkout)")
    parser.add_argument("--label", default="", help="names the results file (default: the checkout's commit)")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    commit = short_commit(checkout)
    label = args.label or commit
    days = days_from(DAY, args.days)
    source_lake = ensure(args.imdb, tuple(days)) if days else Path()
    archives = kaggle_archives(args.kaggle, DAY)
    work = HERE / "data" / f"production_day_{label}"
    shutil.rmtree(work, ignore_errors=True)
    lake, warehouse = work / "lake", work / "warehouse.duckdb"
    lake.mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "tv_assets.platform.dbt", "duckdb"], cwd=checkout, check=True)

    report: dict = {
        "checkout": str(checkout),
        "commit": commit,
        "imdb_scale": args.imdb,
        "kaggle_scale": args.kaggle,
        "runs": [],
    }
    with SampleServer() as server:
        env = case_env(server.url, lake, warehouse, checkout)
        drops = [("cpi", DAY), ("letterboxd", DAY), ("movies", DAY)]
        for case, day in [*drops, *(("day", d) for d in days)]:
            if case == "day":
                serve_imdb(server, source_lake, day)
            run = measure(checkout, case, day, env, archives.get(case, ""))
            run["warehouse_bytes"] = warehouse.stat().st_size
            run["warehouse_used_bytes"] = used_bytes(warehouse)
            run["lake_bytes"] = folder_bytes(lake)
            run["rows"] = stored_rows(warehouse)
            run["title_graph_s"] = round(sum(run["models_s"].get(m, 0) for m in TITLE_GRAPH), 1)
            report["runs"].append(run)
            print(
                f"{case:10} {day}  {run['wall_s']:7.1f} s  peak {run['peak_rss_gb']:5.2f} GB  warehouse"
                f" {run['warehouse_bytes'] / 1e6:8.1f} MB (used {run['warehouse_used_bytes'] / 1e6:8.1f})  lake {run['lake_bytes'] / 1e6:8.1f} MB"
                f"  title graph {run['title_graph_s']:5.1f} s",
                flush=True,
            )
    report["summary"] = summarize(report["runs"])
    print(json.dumps(report["summary"], indent=2))
    daily = [r for r in report["runs"] if r["case"] == "day"]
    for table in sorted(daily[-1]["rows"] if daily else []):
        print(f"  {table:45} " + "  ".join(f"{r['rows'].get(table, 0):>10,}" for r in daily))
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / f"production_day_{label}.json").write_text(json.dumps(report, indent=2))
    return 0


def summarize(runs: list[dict]) -> dict:
    """The goals' figures: each drop's time and peak, day 1's, the later days' against it, the growth of
    the warehouse file and of its used blocks, and a year projected from each (day 1, then 364 days of
    the mean growth measured)."""
    drops = [r for r in runs if r["case"] in ("letterboxd", "movies")]
    summary: dict = {
        "drops_s": {r["case"]: r["wall_s"] for r in drops},
        "drops_peak_rss_gb": {r["case"]: r["peak_rss_gb"] for r in drops},
    }
    daily = [r for r in runs if r["case"] == "day"]
    if not daily:
        return summary
    first = daily[0]
    summary |= {
        "day1_s": first["wall_s"],
        "day1_peak_rss_gb": first["peak_rss_gb"],
        "later_days_over_day1": [round(r["wall_s"] / first["wall_s"], 2) for r in daily[1:]],
        "title_graph_s": [r["title_graph_s"] for r in daily],
    }
    later = daily[1:]
    if len(later) >= 2:
        # Whether a day costs more as history grows: the later days' median against day 1, and the
        # least-squares trend of their time and peak per day of history (day 1 builds the history, so it
        # stays out of the trend).
        at = list(range(len(later)))
        summary |= {
            "later_days_median_over_day1": round(statistics.median(r["wall_s"] for r in later) / first["wall_s"], 2),
            "later_days_trend_s_per_day": round(
                statistics.linear_regression(at, [r["wall_s"] for r in later]).slope, 2
            ),
            "later_days_peak_trend_gb_per_day": round(
                statistics.linear_regression(at, [r["peak_rss_gb"] for r in later]).slope, 3
            ),
        }
    for kind, key in (("", "warehouse_bytes"), ("_used", "warehouse_used_bytes")):
        sizes = [r[key] for r in daily if key in r]
        if not sizes:  # a report from before the used blocks were measured
            continue
        added = [b - a for a, b in zip(sizes, sizes[1:], strict=False)]
        summary[f"day1_warehouse{kind}_mb"] = round(sizes[0] / 1e6, 1)
        summary[f"growth{kind}_mb"] = [round(g / 1e6, 1) for g in added]
        summary[f"growth{kind}_share_of_day1"] = [round(g / sizes[0], 3) for g in added]
        if added:
            year = sizes[0] + 364 * sum(added) / len(added)
            summary[f"year_projected{kind}_mb"] = round(year / 1e6, 1)
            summary[f"year{kind}_over_day1"] = round(year / sizes[0], 2)
    return summary


if __name__ == "__main__":
    raise SystemExit(main())
