"""Thirty days as one single-run backfill against the same days run one by one, at a tenth of IMDB's size.

Each way starts from an empty warehouse in the same folder: the CPI and the Kaggle drops (the demo's
size), then every daily asset either for all the days in one run (`FIRST..LAST`, as a backfill under
`BackfillPolicy.single_run()` runs them) or for each day in its own run, in order. IMDB's four files of
every day (`imdb_data.py tenth`: 1.23M titles, 300 new a day, the documented churn) are already in the
lake; TVMaze, TMDB and X are fetched over HTTP from the sample API. Each run is a fresh process
(`production_day_case.py`): wall time and peak memory of its process tree. Afterwards every stored table
of the two warehouses must be equal row for row (its row count and the sum of its rows' hashes, the load
time `_loaded_at` left out), and the warehouse file's bytes of each are recorded.

    python bench/bench_backfill_days.py [--days 30] [--checkout DIR] [--label NAME]
"""

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_production_day import case_env, days_from, measure, serve_imdb, short_commit, used_bytes  # noqa: E402
from imdb_data import DAY, ensure  # noqa: E402

from tv_assets.sample_api.server import SampleServer  # noqa: E402


def fingerprints(warehouse: Path) -> dict[str, tuple[int, int]]:
    """Each stored table's rows and the sum of their hashes, `_loaded_at` left out (when a row was
    loaded differs by design): equal for equal tables, in any order."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns: dict[str, list[str]] = {}
        for schema, table, column in con.execute(
            "select c.table_schema, c.table_name, c.column_name from information_schema.columns as c"
            " join information_schema.tables as t using (table_schema, table_name)"
            " where t.table_type = 'BASE TABLE' order by 1, 2, c.ordinal_position"
        ).fetchall():
            if column != "_loaded_at":
                columns.setdefault(f'"{schema}"."{table}"', []).append(f'"{column}"')
        prints = {}
        for table, names in columns.items():
            rows, hashes = con.execute(
                f"select count(*), sum(hash(t)) from (select {', '.join(names)} from {table}) as t"
            ).fetchone()
            prints[table.replace('"', "")] = (rows, int(hashes or 0))
        return prints


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the code to run (default this checkout)")
    parser.add_argument("--label", default="", help="names the results file (default: the checkout's commit)")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    commit = short_commit(checkout)
    days = days_from(DAY, args.days)
    source_lake = ensure("tenth", tuple(days))
    work = HERE / "data" / f"backfill_days_{args.label or commit}"
    lake, warehouse = work / "lake", work / "warehouse.duckdb"
    subprocess.run([sys.executable, "-m", "tv_assets.platform.dbt", "duckdb"], cwd=checkout, check=True)

    report: dict = {"checkout": str(checkout), "commit": commit, "days": [days[0], days[-1]], "ways": {}}
    prints: dict[str, dict[str, tuple[int, int]]] = {}
    with SampleServer() as server:
        env = case_env(server.url, lake, warehouse, checkout)
        for way, daily in (("backfill", [f"{days[0]}..{days[-1]}"]), ("one_by_one", days)):
            shutil.rmtree(work, ignore_errors=True)
            lake.mkdir(parents=True)
            for day in days:
                serve_imdb(server, source_lake, day)
            drops = [measure(checkout, case, DAY, env) for case in ("cpi", "letterboxd", "movies")]
            runs = [measure(checkout, "day", day, env) for day in daily]
            prints[way] = fingerprints(warehouse)
            report["ways"][way] = {
                "drops_s": sum(r["wall_s"] for r in drops),
                "daily_runs": len(runs),
                "wall_s": round(sum(r["wall_s"] for r in runs), 1),
                "peak_rss_gb": max(r["peak_rss_gb"] for r in runs),
                "warehouse_mb": round(warehouse.stat().st_size / 1e6, 1),
                "warehouse_used_mb": round(used_bytes(warehouse) / 1e6, 1),
                "rows": {table: rows for table, (rows, _) in prints[way].items()},
            }
            print(
                f"{way:11} {len(runs):3} run(s)  {report['ways'][way]['wall_s']:8.1f} s  peak "
                f"{report['ways'][way]['peak_rss_gb']:5.2f} GB  warehouse {report['ways'][way]['warehouse_mb']:8.1f} MB",
                flush=True,
            )
    differ = sorted(
        t
        for t in prints["backfill"].keys() | prints["one_by_one"].keys()
        if prints["backfill"].get(t) != prints["one_by_one"].get(t)
    )
    ways = report["ways"]
    report["summary"] = {
        "backfill_s": ways["backfill"]["wall_s"],
        "one_by_one_s": ways["one_by_one"]["wall_s"],
        "one_by_one_over_backfill": round(ways["one_by_one"]["wall_s"] / ways["backfill"]["wall_s"], 2),
        "tables_compared": len(prints["backfill"]),
        "tables_that_differ": differ,
    }
    print(json.dumps(report["summary"], indent=2))
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / f"backfill_days_{args.label or commit}.json").write_text(json.dumps(report, indent=2))
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
