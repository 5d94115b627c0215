"""One case of bench_production_day.py, alone in a fresh process:
`python production_day_case.py ROOT CASE DAY [ARCHIVE]`.

ROOT is the checkout whose code runs (this one, or a baseline's), so the same case measures the code
before and after a change. The environment names the lake, the DuckDB file and the sample API.
  cpi         the CPI's months (a movies mart reads them)
  letterboxd  a Letterboxd archive dropped into the landing area on DAY, then the landing sensor's logic
  movies      the same for The Movies Dataset; ARCHIVE is the archive's file (the real volume's,
              written by `write_archive`), or absent for the demo's size
  day         every daily asset for DAY in one run, as the jobs and automation run them, IMDB's fetch
              included (the benchmark serves its generated full-size files from the sample API);
              DAY as FIRST..LAST runs the days of that range in one run, as a single-run backfill does
Prints one JSON line: the run's steps and each dbt model's execution time.
"""

import json
import sys
import time


def main() -> int:
    root, case, day = sys.argv[1:4]
    archive = sys.argv[4] if len(sys.argv) > 4 else ""
    sys.path.insert(0, root)
    import dagster as dg

    from tv_assets.definitions import build_resources, defs
    from tv_assets.platform.settings import load_settings
    from tv_assets.runs import materialize_range

    started = time.perf_counter()
    with dg.instance_for_test() as instance:
        if case == "cpi":
            from tv_assets.demo import fred_history

            results = [fred_history(defs, instance)]
        elif case in ("letterboxd", "movies"):
            from pathlib import Path

            from tv_assets.defs.kaggle.sample import letterboxd_zip, movies_zip
            from tv_assets.runs import drop_archive

            body = Path(archive) if archive else {"letterboxd": letterboxd_zip, "movies": movies_zip}[case](day)
            results = drop_archive(defs, instance, case, f"{case}-{day}.zip", body)
        else:
            first, _, last = day.partition("..")
            results = [materialize_range(build_resources(load_settings()), instance, first, last or None)]
    steps: dict[str, float] = {}
    models: dict[str, float] = {}
    for result in results:
        for event in result.all_events:
            if event.event_type_value == "STEP_SUCCESS":
                steps[event.step_key] = round(event.event_specific_data.duration_ms / 1000, 2)
        for materialization in result.get_asset_materialization_events():
            data = materialization.materialization
            if "Execution Duration" in data.metadata:
                models[data.asset_key.path[-1]] = round(data.metadata["Execution Duration"].value, 2)
    print(json.dumps({"inner_s": round(time.perf_counter() - started, 2), "steps_s": steps, "models_s": models}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
