"""The start-up every process of the code location pays: `import tv_assets.definitions` (the code server,
each run worker, its step server), in fresh interpreters on the embedded default.

`--baseline DIR` measures a checkout of another commit the same way (its dbt manifest prepared), the
cases alternating so the machine's noise falls on both; medians of `--repeat` runs (default 7).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = "import tv_assets, tv_assets.definitions; print(tv_assets.__file__)"


def import_time(checkout: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TV_ASSETS_", "SNOWFLAKE_", "AWS_"))}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=checkout, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout.strip().startswith(str(checkout)):
        raise SystemExit(f"{checkout}: exit {done.returncode}, imported {done.stdout.strip()!r}\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, help="a checkout of the commit to compare with")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    cases = {"this checkout": ROOT, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    for checkout in cases.values():
        import_time(checkout)  # warm the file cache and the bytecode
    times: dict[str, list[float]] = {case: [] for case in cases}
    for _ in range(args.repeat):
        for case, checkout in cases.items():
            times[case].append(import_time(checkout))
    medians = {case: statistics.median(runs) for case, runs in times.items()}
    for case, runs in times.items():
        print(f"{case}: median {medians[case]:.2f} s (runs: {', '.join(f'{t:.2f}' for t in runs)})")
    if args.baseline:
        print(f"baseline / this checkout: {medians['baseline'] / medians['this checkout']:.2f}x")
    out = ROOT / "bench" / "results" / "import.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"runs_s": times, "median_s": medians}, indent=2))


if __name__ == "__main__":
    main()
