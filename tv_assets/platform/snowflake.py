"""The Snowflake warehouse: raw tables loaded with `COPY INTO` from an external stage on the S3 lake.

`dagster_snowflake` is imported when a connection is first needed, never at definitions load: it
pulls in snowpark and costs seconds, which every process that only lists assets would pay.
"""

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from tv_assets.platform.warehouse import (
    JsonLayout,
    Rows,
    Warehouse,
    identifier,
    identifier_ci,
    rows_insert,
    swap_partition,
    text_table,
    typed_table,
)

_JSON_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_STAGE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")


def json_path(path: str) -> str:
    """A dotted key path checked before it is written into SQL (`get_path` takes no bind variables)."""
    if not _JSON_PATH.match(path):
        raise ValueError(f"not a dotted JSON key path: {path!r}")
    return path


class SnowflakeWarehouse(Warehouse):
    """A Snowflake database reached through dagster-snowflake's `SnowflakeResource`.

    `stage` is an external stage whose URL is `stage_url` (the lake's `s3://bucket/prefix/`); the
    loader role reads it through the storage integration of `deploy/snowflake/setup.sql`.
    `host`/`port`/`protocol` are for non-default endpoints only (a loopback stand-in in tests).
    """

    account: str
    user: str
    password: str
    role: str | None = None  # loads raw tables
    query_role: str | None = None  # reads any schema for checks and metadata (the transformer role)
    warehouse: str | None = None
    database: str
    stage: str = "raw.lake_stage"
    stage_url: str
    host: str | None = None
    port: int | None = None
    protocol: str | None = None
    network_timeout_s: int = 60

    @contextmanager
    def connect(self, role: str | None = None) -> Iterator[Any]:
        from dagster_snowflake import SnowflakeResource  # late on purpose, see the module docstring

        endpoint = {k: v for k, v in {"host": self.host, "port": self.port, "protocol": self.protocol}.items() if v}
        resource = SnowflakeResource(
            account=self.account,
            user=self.user,
            password=self.password,
            role=role or self.role,
            warehouse=self.warehouse,
            database=self.database,
            schema="RAW",
            paramstyle="qmark",  # the same `?` placeholders as DuckDB, bound by the server
            network_timeout=self.network_timeout_s,
            login_timeout=self.network_timeout_s,
            additional_snowflake_connection_args={
                **endpoint,
                "session_parameters": {"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False},
            },
        )
        with resource.get_connection() as con:
            yield con

    def stage_path(self, uri: str) -> str:
        """`@stage/<key>` for a lake URI under the stage's URL."""
        if not _STAGE.match(self.stage):
            raise ValueError(f"not a schema-qualified stage name: {self.stage!r}")
        root = self.stage_url.rstrip("/") + "/"
        if not uri.startswith(root):
            raise ValueError(
                f"{uri} is not under the external stage {self.stage} ({root}); "
                "the Snowflake warehouse reads only the S3 lake (TV_ASSETS_LAKE=s3)"
            )
        key = uri[len(root) :]
        if "'" in key or "\\" in key:
            raise ValueError(f"lake URI {uri!r} cannot be quoted as a stage path")
        return f"@{self.stage}/{key}"

    def replace_json_partition(
        self, table: str, partition_date: str, uri: str, layout: JsonLayout, expected_rows: int
    ) -> int:
        name = f"raw.{identifier(table)}"
        source = self.stage_path(uri)
        strip = " strip_outer_array = true" if layout == "array" else ""
        with self.connect() as con:
            cur = con.cursor()
            cur.execute(self._create_raw(table))
            # COPY into a session-scoped landing table first, so the partition swap below is plain DML in
            # one transaction. FORCE: a re-run must load the file again even though it was loaded before.
            cur.execute("create or replace temporary table tv_assets_landing (payload variant)")
            cur.execute(f"copy into tv_assets_landing from '{source}' file_format = (type = json{strip}) force = true")
            insert = (
                f"insert into {name} select cast(? as date), payload, current_timestamp(), ? from tv_assets_landing"
            )
            return swap_partition(cur.execute, name, partition_date, insert, [partition_date, uri], expected_rows)

    def replace_tsv_partition(
        self, table: str, partition_date: str, uri: str, columns: Sequence[str], expected_rows: int
    ) -> int:
        # IMDB's format: no quoting and no escapes at all (titles hold raw `"` and `\`), only `\N` is
        # null, an empty field stays an empty string.
        return self._copy_text(
            table,
            partition_date,
            uri,
            columns,
            expected_rows,
            "type = csv field_delimiter = '\\t' skip_header = 1 field_optionally_enclosed_by = none"
            " escape_unenclosed_field = none null_if = ('\\\\N') empty_field_as_null = false"
            " compression = gzip",
        )

    def replace_csv_partition(
        self, table: str, partition_date: str, uri: str, columns: Sequence[str], expected_rows: int
    ) -> None:
        # RFC 4180: `"` encloses fields that hold commas, quotes (doubled) or line breaks; a backslash is text.
        self._copy_text(
            table,
            partition_date,
            uri,
            columns,
            expected_rows,
            "type = csv field_delimiter = ',' skip_header = 1 field_optionally_enclosed_by = '\"'"
            " escape_unenclosed_field = none compression = auto",
        )

    def _copy_text(
        self, table: str, partition_date: str, uri: str, columns: Sequence[str], expected_rows: int, file_format: str
    ) -> int:
        name = f"raw.{identifier(table)}"
        source = self.stage_path(uri)
        fields = [identifier_ci(c) for c in columns]
        with self.connect() as con:
            cur = con.cursor()
            cur.execute(text_table(name, columns))
            cur.execute(
                "create or replace temporary table tv_assets_landing ("
                + ", ".join(f"{c} varchar" for c in fields)
                + ")"
            )
            # FORCE: a re-run loads the file again even though it was loaded before.
            cur.execute(f"copy into tv_assets_landing from '{source}' file_format = ({file_format}) force = true")
            insert = f"insert into {name} select cast(? as date), {', '.join(fields)}, ? from tv_assets_landing"
            return swap_partition(cur.execute, name, partition_date, insert, [partition_date, uri], expected_rows)

    def replace_rows(self, table: str, columns: Mapping[str, str], partitions: Mapping[str, Rows]) -> None:
        name = f"raw.{identifier(table)}"
        with self.connect() as con:
            cur = con.cursor()
            cur.execute(typed_table(name, columns))
            for partition_date, (rows, uri) in partitions.items():
                insert, params = rows_insert(name, partition_date, columns, rows, uri)
                swap_partition(cur.execute, name, partition_date, insert, params, len(rows))

    @staticmethod
    def _create_raw(table: str) -> str:
        return (
            f"create table if not exists raw.{identifier(table)} (partition_date date not null,"
            " payload variant not null, _loaded_at timestamp_tz not null, _source_uri varchar not null)"
        )

    def ensure_raw_table(self, table: str) -> None:
        with self.connect() as con:
            con.cursor().execute(self._create_raw(table))

    def partition_profile(
        self, table: str, partition_date: str, paths: Sequence[str] = ()
    ) -> tuple[int, dict[str, int]]:
        name = identifier(table)
        # A key that is absent gives SQL NULL; a key holding JSON null gives a VARIANT null, which is present.
        missing = "".join(f", count_if(get_path(payload, '{json_path(p)}') is null)" for p in paths)
        with self.connect() as con:
            cur = con.cursor()
            cur.execute(
                "select count(*) from information_schema.tables where table_schema = 'RAW' and table_name = ?",
                [name.upper()],
            )
            if not cur.fetchone()[0]:
                return 0, {}
            rows, *absent = cur.execute(
                f"select count(*){missing} from raw.{name} where partition_date = ?", [partition_date]
            ).fetchone()
        return rows, {path: n for path, n in zip(paths, absent, strict=True) if n}

    def columns(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple]]:
        with self.connect(self.query_role) as con:
            cur = con.cursor()
            cur.execute(sql, list(params))
            return [d[0].lower() for d in cur.description], cur.fetchall()
