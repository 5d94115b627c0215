"""Loopback stand-ins for the production path: moto's S3 server and a fakesnow (Snowflake) server.

Both run as child processes on 127.0.0.1, started and stopped by the test suite. fakesnow executes
Snowflake SQL on DuckDB; this launcher registers the S3 filesystem on its engine so `COPY INTO` from
an external stage reads the moto bucket, as Snowflake reads S3.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from string import Template

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(process: subprocess.Popen, port: int, name: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode} before listening on port {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not listen on 127.0.0.1:{port} within {timeout_s} s")


@contextmanager
def _process(args: list[str], port: int, name: str, log: Path, env: dict[str, str] | None = None) -> Iterator[None]:
    with open(log, "wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    try:
        _wait_for_port(process, port, name)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def moto_server(log_dir: Path) -> Iterator[str]:
    """An S3 API on 127.0.0.1; yields its endpoint URL."""
    port = free_port()
    moto = str(Path(sys.executable).parent / "moto_server")
    with _process([moto, "-H", "127.0.0.1", "-p", str(port)], port, "moto_server", log_dir / "moto.log"):
        url = f"http://127.0.0.1:{port}"
        requests.get(f"{url}/moto-api/", timeout=10).raise_for_status()
        yield url


@contextmanager
def fakesnow_server(log_dir: Path, s3_env: dict[str, str]) -> Iterator[int]:
    """A Snowflake SQL API on 127.0.0.1 whose engine reads s3:// from the given endpoint; yields its port."""
    port = free_port()
    args = [sys.executable, "-m", "tv_assets_tests.stand_ins", "fakesnow", str(port)]
    with _process(args, port, "fakesnow", log_dir / "fakesnow.log", env=s3_env):
        yield port


ORDERED_FLATTEN = """
CREATE OR REPLACE MACRO ${catalog}._fs_flatten(input) AS TABLE
    SELECT
        hash(TO_JSON(input))::UBIGINT AS SEQ,
        e.k AS KEY,
        COALESCE(e.k, '[' || (e.i - 1) || ']') AS PATH,
        CASE WHEN e.k IS NOT NULL THEN NULL ELSE (e.i - 1)::BIGINT END AS INDEX,
        e.v AS VALUE,
        TO_JSON(input) AS THIS
    FROM (
        SELECT UNNEST(l, recursive := true), generate_subscripts(l, 1) FROM (SELECT
            CASE WHEN json_type(TO_JSON(input)) = 'OBJECT'
                 THEN list_transform(json_keys(TO_JSON(input)),
                                     lambda x: struct_pack(k := x, v := CAST(TO_JSON(input) -> x AS JSON)))
                 ELSE list_transform(CAST(TO_JSON(input) AS JSON[]), lambda x: struct_pack(k := NULL::VARCHAR, v := x))
            END AS l)
    ) AS e(k, v, i)
"""


def _serve_fakesnow(port: int) -> None:
    import fakesnow.instance
    from dagster_aws.s3 import S3Resource

    from tv_assets.platform.s3 import engine_filesystem

    filesystem = engine_filesystem(
        S3Resource(
            endpoint_url=os.environ["AWS_ENDPOINT_URL"],
            region_name=os.environ.get("AWS_REGION", "us-east-1"),
            aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
        )
    )
    original_init = fakesnow.instance.FakeSnow.__init__

    def init_with_s3(self, *args, **kwargs) -> None:
        original_init(self, *args, **kwargs)
        self.duck_conn.register_filesystem(filesystem)

    fakesnow.instance.FakeSnow.__init__ = init_with_s3  # before fakesnow.server creates its shared instance

    # Snowflake loads a file's own columns whatever its path; DuckDB's readers would add a column for
    # each `key=value` folder of the lake's hive layout, so the stand-in turns that off (JSON and CSV).
    import fakesnow.copy_into
    from sqlglot import exp

    no_hive = exp.EQ(this=exp.var("hive_partitioning"), expression=exp.false())
    fakesnow.copy_into.ReadJSON.read_expression = lambda self, url: exp.func(
        "read_json_objects", exp.Literal.string(url), no_hive.copy()
    )
    read_csv = fakesnow.copy_into.ReadCSV.read_expression

    def read_csv_without_hive(self, url: str) -> exp.Expression:
        expression = read_csv(self, url)
        expression.append("expressions", no_hive.copy())
        return expression

    fakesnow.copy_into.ReadCSV.read_expression = read_csv_without_hive

    # Snowflake's FLATTEN numbers array elements by their place (INDEX); fakesnow's emulation numbers
    # them with `row_number() over ()`, which DuckDB does not order, so the stand-in numbers them with
    # `generate_subscripts` instead (same columns, same values for objects).
    import fakesnow.macros

    fakesnow.macros.FS_FLATTEN = Template(ORDERED_FLATTEN)

    import fakesnow.server
    import uvicorn

    uvicorn.run(fakesnow.server.app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__" and sys.argv[1:2] == ["fakesnow"]:
    _serve_fakesnow(int(sys.argv[2]))
