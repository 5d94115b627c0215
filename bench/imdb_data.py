"""Full-scale IMDB files for the benchmarks, generated once per day and kept under bench/data/.

The files sit in a lake folder exactly as the fetch assets leave them (the `.tsv.gz` and its
`_request.json` with the rows counted by the same stream check), so the project's path starts from
a lake partition, and the baselines read the same four files. `DAY` is the scale's `first_day`; the
days after it differ by the scale's churn (`tv_assets.defs.imdb.sample.Churn`).

    python bench/imdb_data.py [full|tenth|demo] [DAY ...]
"""

import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tv_assets.defs.imdb.client import COLUMNS, check_tsv_gz  # noqa: E402
from tv_assets.defs.imdb.sample import Churn, ImdbSample, Scale  # noqa: E402
from tv_assets.platform.lake import partition_key  # noqa: E402

DAY = "2026-11-20"
# full: IMDB's real size; tenth: a tenth of it with a tenth of the new titles a day (the backfill
# benchmark's 30 days); demo: the demo's few thousand titles.
SCALES = {
    "full": Scale.full,
    "tenth": lambda: Scale(titles=1_230_000, names=1_510_000, churn=Churn(new_titles=300)),
    "demo": Scale.demo,
}
DATA = ROOT / "bench" / "data"


def lake_dir(scale_name: str) -> Path:
    return DATA / f"imdb_{scale_name}" / "lake"


def file_path(lake: Path, dataset: str, day: str = DAY) -> Path:
    return lake / partition_key("imdb", dataset, day, f"{COLUMNS[dataset][0]}.tsv.gz")


def _one(args: tuple[str, str, Scale, str]) -> tuple[str, int, float]:
    lake, dataset, scale, day = Path(args[0]), args[1], args[2], args[3]
    path = file_path(lake, dataset, day)
    record = path.with_name("_request.json")
    known = json.loads(record.read_text()) if record.exists() else {}
    if "sha256" in known:
        return dataset, known["rows"], 0.0
    started = time.perf_counter()
    file, columns = COLUMNS[dataset]
    # A file generated before its record held the checksum is checked again rather than regenerated.
    source = path if path.exists() else ImdbSample(scale).write(file, day, path.with_suffix(".tmp"))
    with open(source, "rb") as handle:
        summary = check_tsv_gz(iter(lambda: handle.read(1 << 20), b""), columns, f"bench {file}")
    source.rename(path)
    record.write_text(
        json.dumps(
            {
                "request": "generated",
                "rows": summary.rows,
                "bytes": summary.compressed_bytes,
                "text_bytes": summary.text_bytes,
                "sha256": summary.sha256,
            }
        )
    )
    return dataset, summary.rows, time.perf_counter() - started


def ensure(scale_name: str = "full", days: tuple[str, ...] = (DAY,)) -> Path:
    """The lake folder with the four files of each of `days` at `scale_name` (`SCALES`), generated if missing."""
    scale = SCALES[scale_name]()
    lake = lake_dir(scale_name)
    # Largest first, two at a time (two cores).
    order = ["name_basics", "title_basics", "title_crew", "title_ratings"]
    with ProcessPoolExecutor(2) as pool:
        for day in days:
            for dataset, rows, seconds in pool.map(_one, [(str(lake), d, scale, day) for d in order]):
                if seconds:
                    print(f"{day} {dataset}: {rows:,} rows written or re-checked in {seconds:.0f} s", flush=True)
    return lake


if __name__ == "__main__":
    print(ensure(sys.argv[1] if len(sys.argv) > 1 else "full", tuple(sys.argv[2:]) or (DAY,)))
