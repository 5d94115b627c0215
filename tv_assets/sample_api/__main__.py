"""`python -m tv_assets.sample_api --port 8765`: serve the sample sources until interrupted."""

import argparse
import time

from tv_assets.sample_api.server import SampleServer

parser = argparse.ArgumentParser(description="Serve the bundled sample sources on 127.0.0.1.")
parser.add_argument("--port", type=int, default=8765)
parser.add_argument("--seed", type=int, default=42)
args = parser.parse_args()
with SampleServer(seed=args.seed, port=args.port) as server:
    print(f"sample API on {server.url} (TVMaze at {server.url}/tvmaze); Ctrl-C stops it", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
