"""`python -m tv_assets.demo`: materialize every asset for the last N daily partitions from the
bundled sample sources (served on 127.0.0.1), then print each mart with its row count.

The runs are recorded in `DAGSTER_HOME` (default `./data/dagster_home`), so `make dev` afterwards
shows the partitions filled and the checks passed.
"""

import argparse
import os
import time
from datetime import date, timedelta
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=7, help="how many of the newest daily partitions (default 7)")
    args = parser.parse_args()

    os.environ.setdefault("TV_ASSETS_SOURCES", "sample")
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(Path("data/dagster_home").resolve())))
    home.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("TV_ASSETS_START_DATE"):
        # The sample sources replay past days, so this deployment's record starts with the demo's first
        # day (read when the definitions are imported below, and by `make dev` afterwards).
        from tv_assets.platform.settings import newest_complete_day, record_start

        newest = date.fromisoformat(newest_complete_day())
        record_start(home, (newest - timedelta(days=args.days - 1)).isoformat())
    from tv_assets.platform.dbt import prepare
    from tv_assets.sample_api.server import SampleServer

    prepare("duckdb")  # the manifest the code location reads (make manifest does the same)
    with SampleServer() as server:
        # Configuration, as for any deployment: the clients call the sample API at this base URL.
        os.environ["TV_ASSETS_SAMPLE_URL"] = server.url
        return run(args.days)


def run(days: int) -> int:
    import dagster as dg

    from tv_assets.definitions import defs
    from tv_assets.platform.partitions import daily_partitions, range_tags
    from tv_assets.platform.settings import load_settings

    settings = load_settings()

    keys = daily_partitions.get_partition_keys()[-days:]
    print(
        f"tv_assets demo: partitions {keys[0]} .. {keys[-1]}, sources={settings.sources}, "
        f"sample API={settings.sample_url}, lake={settings.lake_dir}, warehouse={settings.duckdb_path}",
        flush=True,
    )
    started = time.monotonic()
    with dg.DagsterInstance.get() as instance:
        # The drops first: the daily title graph (dim_title) reads the newest Kaggle archive.
        results = [fred_history(defs, instance), *drop_archives(defs, instance)]
        # The named jobs, as the schedules run them (each over the whole range, one run each), then the
        # daily models in one dbt build, as automation would, and the marts' freshness.
        daily = sorted(job.name for job in defs.jobs or [] if job.name.endswith("_daily"))
        for name in [*daily, "daily_models"]:
            print(f"\n{name}: partitions {keys[0]} .. {keys[-1]}", flush=True)
            results.append(
                defs.resolve_job_def(name).execute_in_process(
                    instance=instance,
                    tags=range_tags(keys[0], keys[-1]),
                    raise_on_error=False,
                    run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
                )
            )
        results.append(
            defs.resolve_job_def("freshness_checks").execute_in_process(instance=instance, raise_on_error=False)
        )
    if not all(r.success for r in results):
        print("demo run failed; see the errors above", flush=True)
        return 1
    print(
        f"\nmaterialized {sum(len(r.get_asset_materialization_events()) for r in results)} asset partitions in "
        f"{time.monotonic() - started:.1f} s ({len(results)} runs: the CPI history, the Kaggle drops, "
        f"{', '.join(daily)} and daily_models over the range, freshness_checks)\n"
    )
    print_marts(defs)
    print("\nOpen the UI: make dev   (then http://127.0.0.1:3000)")
    return 0


def fred_history(defs, instance):
    """The CPI's monthly partitions from 1999 to last month, in one run."""
    from tv_assets.platform.partitions import monthly_partitions, range_tags

    months = monthly_partitions.get_partition_keys()
    print(f"\nFRED CPI: months {months[0]} .. {months[-1]}", flush=True)
    return defs.resolve_job_def("fred_monthly").execute_in_process(
        instance=instance, tags=range_tags(months[0], months[-1]), raise_on_error=False
    )


def drop_archives(defs, instance) -> list:
    """Drop a generated archive of each Kaggle source into the landing area, then let the landing
    sensor's logic find it and run its job for today's partition."""
    from datetime import UTC, datetime

    from tv_assets.defs.kaggle.sample import letterboxd_zip, movies_zip
    from tv_assets.runs import drop_archive

    lake, today, results = defs.resources["lake"], datetime.now(UTC).date().isoformat(), []
    for source, make in (("letterboxd", letterboxd_zip), ("movies", movies_zip)):
        name = f"{source}-{today}.zip"
        print(f"\ndropping {lake.uri(f'landing/{source}/{name}')}", flush=True)
        results += drop_archive(defs, instance, source, name, make(today), raise_on_error=False)
    return results


def print_marts(defs) -> None:
    warehouse = defs.resources["warehouse"]
    tables = [
        t
        for (t,) in warehouse.query(
            "select table_name from information_schema.tables where table_schema = 'marts' order by table_name"
        )
    ]
    width = max(map(len, tables), default=0)
    print("marts:")
    for table in tables:
        (rows,) = warehouse.query(f"select count(*) from marts.{table}")[0]
        print(f"  marts.{table:<{width}}  {rows:>7} rows")


if __name__ == "__main__":
    raise SystemExit(main())
