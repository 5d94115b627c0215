"""TMDB show details for 500 shows from the sample API with 50 ms injected latency: concurrent workers
against one sequential worker, both under the same configured rate limit, which the server's own
request log must show was never exceeded (busiest one-second window of arrivals).

Run: `python bench/bench_tmdb_details.py [--rate 40] [--workers 8]`; results in bench/results/tmdb_details.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tv_assets.defs.tmdb.client import TMDBClient  # noqa: E402
from tv_assets.sample_api.server import SampleServer  # noqa: E402

DAY, SHOWS, LATENCY_S = "2024-03-04", 500, 0.05


def busiest_second(times: list[float]) -> int:
    """The most arrivals in any window [t, t + 1 s) starting at an arrival."""
    times, most, j = sorted(times), 0, 0
    for i, start in enumerate(times):
        while j < len(times) and times[j] < start + 1.0:
            j += 1
        most = max(most, j - i)
    return most


def measure(server: SampleServer, rate: float, workers: int) -> dict[str, float]:
    client = TMDBClient.create(f"{server.url}/tmdb/3/{DAY}", access_token="bench", calls_per_s=rate, workers=workers)
    first = len(server.app.request_log)
    started = time.perf_counter()
    bodies, missing = client.details(range(1, SHOWS + 1), partition=DAY)
    seconds = time.perf_counter() - started
    arrivals = [t for t, _ in server.app.request_log[first:]]
    assert len(bodies) == SHOWS and not missing and len(arrivals) == SHOWS
    return {
        "workers": workers,
        "seconds": round(seconds, 2),
        "calls_per_s": round(SHOWS / seconds, 1),
        "busiest_second": busiest_second(arrivals),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=40, help="configured calls per second (TMDB allows about 40)")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    with SampleServer() as server:
        server.app.latency_s = LATENCY_S
        sequential = measure(server, args.rate, 1)
        concurrent = measure(server, args.rate, args.workers)
    result = {
        "shows": SHOWS,
        "latency_ms": LATENCY_S * 1000,
        "rate_limit_per_s": args.rate,
        "sequential": sequential,
        "concurrent": concurrent,
        "speedup": round(sequential["seconds"] / concurrent["seconds"], 2),
        "limit_respected": max(sequential["busiest_second"], concurrent["busiest_second"]) <= args.rate,
    }
    out = ROOT / "bench" / "results" / "tmdb_details.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if not result["limit_respected"]:
        sys.exit("the configured rate limit was exceeded")


if __name__ == "__main__":
    main()
