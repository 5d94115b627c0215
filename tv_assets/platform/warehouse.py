"""The warehouse: raw tables loaded per partition, idempotently, plus small reads for metadata.

Raw TVMaze tables keep each JSON item whole in a `payload` column, so schema drift in the API never
breaks a load and dbt staging decides what to extract (the lake stays the replayable record).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import dagster as dg
import duckdb

from tv_assets.platform.metadata import RAW_COLUMNS, column_schema

JsonLayout = Literal["array", "lines"]
Rows = tuple[Sequence[Sequence[Any]], str]  # a partition's parsed rows, and the lake URI they were read from
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def identifier(name: str) -> str:
    """A table or schema name checked before it reaches SQL (values are always bound, names cannot be)."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return name


def swap_partition(
    execute: Callable[..., Any],
    name: str,
    partition_date: str,
    insert_sql: str,
    params: Sequence[Any],
    expected_rows: int,
) -> int:
    """Replace `name`'s rows of one partition with `insert_sql`'s, in one transaction; roll back, changing
    nothing, when the partition then holds other than `expected_rows` rows. `execute(sql, params)` is the
    engine's (a DuckDB connection's or a Snowflake cursor's); both return something with `fetchone()`."""
    execute("begin")
    try:
        execute(f"delete from {name} where partition_date = ?", [partition_date])
        execute(insert_sql, list(params))
        (rows,) = execute(f"select count(*) from {name} where partition_date = ?", [partition_date]).fetchone()
        if rows != expected_rows:
            raise ValueError(f"{name}, partition {partition_date}: read {rows} rows, expected {expected_rows}")
        execute("commit")
    except BaseException:
        execute("rollback")
        raise
    return rows


def identifier_ci(name: str) -> str:
    """A source's column name (IMDB's are camelCase), checked like `identifier` but any case."""
    return identifier(name.lower()) and name


def partition_glob(uri: str, partition_date: str) -> str:
    """Every partition's copy of a lake file: `.../partition_date=<day>/f` -> `.../partition_date=*/f`."""
    segment = f"/partition_date={partition_date}/"
    if uri.count(segment) != 1 or "'" in uri:
        raise ValueError(f"{uri} is not a lake file of partition {partition_date}")
    return uri.replace(segment, "/partition_date=*/")


def text_table(name: str, columns: Sequence[str]) -> str:
    """The DDL of a raw table that holds a delimited file's rows: every column text, as DuckDB and Snowflake both take it."""
    fields = "".join(f"{identifier_ci(c)} varchar, " for c in columns)
    return f"create table if not exists {name} (partition_date date not null, {fields}_source_uri varchar not null)"


def tsv_reader(files: str, columns: Sequence[str], hive: bool = False) -> str:
    """DuckDB's reader for IMDB's TSV: no quote or escape character at all, only `\\N` is null, every
    column text (staging types them), the header skipped. `files` is a quoted path or `?`."""
    source = files if files == "?" else f"'{files}'"
    types = ", ".join(f"'{identifier_ci(c)}': 'VARCHAR'" for c in columns)
    # Lake keys hold `partition_date=…` folders: read them as a column only when asked (the view).
    partitions = (
        ", hive_partitioning = true, hive_types = {'partition_date': 'DATE'}, filename = true"
        if hive
        else ", hive_partitioning = false"
    )
    return (
        f"read_csv({source}, delim = '\\t', quote = '', escape = '', header = true, nullstr = '\\N', "
        f"auto_detect = false, columns = {{{types}}}{partitions})"
    )


SQL_TYPES = frozenset({"date", "double", "bigint", "varchar"})


def typed_table(name: str, columns: Mapping[str, str]) -> str:
    """The DDL of a raw table of parsed rows (`columns`: name -> one of SQL_TYPES), as both engines take it."""
    if not set(columns.values()) <= SQL_TYPES:
        raise ValueError(f"column types must be among {sorted(SQL_TYPES)}: {dict(columns)}")
    fields = "".join(f"{identifier(c)} {t}, " for c, t in columns.items())
    return f"create table if not exists {name} (partition_date date not null, {fields}_source_uri varchar not null)"


def rows_insert(
    name: str, partition_date: str, columns: Mapping[str, str], rows: Sequence[Sequence[Any]], uri: str
) -> tuple[str, list[Any]]:
    """An insert of a few parsed rows with every value bound (a no-op for none), and its parameters."""
    if not rows:
        return "select 0", []
    placeholders = ", ".join(f"cast(? as {t})" for t in columns.values())
    values = ", ".join(f"(cast(? as date), {placeholders}, ?)" for _ in rows)
    return f"insert into {name} values {values}", [v for row in rows for v in (partition_date, *row, uri)]


MAX_LINE_BYTES = 64 << 20  # a Movies Dataset credits record runs to hundreds of KB


def csv_reader(files: str, columns: Sequence[str]) -> str:
    """DuckDB's reader for an RFC 4180 CSV (`"` quotes, `""` inside them, line breaks in quoted fields),
    every column text, named by position (the header is checked before the load), blank as null."""
    source = files if files == "?" else f"'{files}'"
    types = ", ".join(f"'{identifier_ci(c)}': 'VARCHAR'" for c in columns)
    return (
        f"read_csv({source}, delim = ',', quote = '\"', escape = '\"', header = true, auto_detect = false, "
        f"columns = {{{types}}}, max_line_size = {MAX_LINE_BYTES}, hive_partitioning = false)"
    )


class Warehouse(dg.ConfigurableResource):
    """Interface: one implementation per engine (`DuckDBWarehouse`, `SnowflakeWarehouse`)."""

    def replace_json_partition(
        self, table: str, partition_date: str, uri: str, layout: JsonLayout, expected_rows: int
    ) -> int:
        """Replace `raw.<table>`'s rows for one partition with the JSON items at `uri`, in one transaction.

        Fails, changing nothing, when the number of rows read differs from `expected_rows`.
        """
        raise NotImplementedError

    def replace_tsv_partition(
        self, table: str, partition_date: str, uri: str, columns: Sequence[str], expected_rows: int
    ) -> int | None:
        """Make `raw.<table>`'s rows for one partition those of the `.tsv.gz` at `uri` (IMDB's format: no
        quoting, no escapes, `\\N` for null, a header line), every column text, plus `partition_date` and
        `_source_uri`. Where rows are copied in, a copy that reads other than `expected_rows` fails,
        changing nothing, and the rows copied are returned; an engine that reads the file in place (a
        view) copies nothing and returns None."""
        raise NotImplementedError

    def replace_csv_partition(
        self, table: str, partition_date: str, uri: str, columns: Sequence[str], expected_rows: int
    ) -> None:
        """Replace `raw.<table>`'s rows for one partition with those of the CSV (optionally gzip) at `uri`, in
        one transaction: every column text, plus `partition_date` and `_source_uri`. A copy that reads other
        than `expected_rows` fails, changing nothing."""
        raise NotImplementedError

    def replace_rows(self, table: str, columns: Mapping[str, str], partitions: Mapping[str, Rows]) -> None:
        """Replace `raw.<table>`'s rows of each partition with a few rows already parsed (a monthly index
        value) and the URI they came from, one transaction per partition, typed by `columns` (name -> SQL
        type). One connection for the lot: a backfill of 300 months is 300 small swaps."""
        raise NotImplementedError

    def ensure_raw_table(self, table: str) -> None:
        """Create `raw.<table>` empty if it does not exist (a source with nothing loaded yet)."""
        raise NotImplementedError

    def partition_profile(
        self, table: str, partition_date: str, paths: Sequence[str] = ()
    ) -> tuple[int, dict[str, int]]:
        """Re-read one partition of `raw.<table>`: its row count (0 when the table does not exist yet),
        and how many rows' `payload` lacks each dotted key path (only paths with any)."""
        raise NotImplementedError

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.columns(sql, params)[1]

    def raw_column_schema(self, table: str) -> dict[str, Any]:
        """`dagster/column_schema` of `raw.<table>` as the warehouse holds it (empty before it exists)."""
        columns = self.column_types("raw").get(("raw", table))
        return {"dagster/column_schema": column_schema(columns, RAW_COLUMNS)} if columns else {}

    def column_types(self, *schemas: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """Every table's columns and their types in `schemas`, as the warehouse declares them, in one query:
        (schema, table) -> [(column, type)] in the table's order; names as written, except that Snowflake's
        upper case (of unquoted names) reads in lower case, as the models and loads write them."""
        listed = ", ".join(f"'{identifier(s)}'" for s in schemas)
        rows = self.query(
            "select lower(table_schema), lower(table_name), column_name, data_type"
            f" from information_schema.columns where lower(table_schema) in ({listed})"
            " order by 1, 2, ordinal_position"
        )
        tables: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for schema, table, column, data_type in rows:
            name = column.lower() if column.isupper() else column
            tables.setdefault((schema, table), []).append((name, str(data_type).lower()))
        return tables

    def dbt_env(self) -> dict[str, str]:
        """What dbt's profile (`dbt/profiles.yml`) reads from the environment to reach this warehouse,
        beyond the variables the deployment sets itself."""
        return {}

    def columns(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple]]:
        """Run one query with `?` placeholders; column names (lower case) and rows."""
        raise NotImplementedError


class DuckDBWarehouse(Warehouse):
    """A DuckDB file (the embedded default, `./data/warehouse.duckdb`) over a local lake.

    Over an S3 lake it is `S3DuckDBWarehouse` (`tv_assets.platform.s3`): S3's clients are imported only
    by a deployment that uses S3, not by every process of the embedded default.
    """

    path: str
    lock_timeout_s: float = 120.0

    def _attach_lake(self, con: duckdb.DuckDBPyConnection) -> None:
        """Make the lake's URIs readable on `con`: a local lake's files need nothing."""

    @property
    def _reads_lake_in_place(self) -> bool:
        """Whether dbt's own DuckDB connection can read the lake's files where they are (a local folder)."""
        return True

    def dbt_env(self) -> dict[str, str]:
        return {"TV_ASSETS_DUCKDB_PATH": str(Path(self.path).resolve())}  # the file the duckdb target opens

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        # DuckDB allows one writing process per file. Runs are serialized by the executor, but a
        # second run (a schedule during a backfill) can still collide, so wait for the lock a while.
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_timeout_s
        while True:
            try:
                con = duckdb.connect(self.path)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        try:
            self._attach_lake(con)
            yield con
        finally:
            con.close()

    def replace_json_partition(
        self, table: str, partition_date: str, uri: str, layout: JsonLayout, expected_rows: int
    ) -> int:
        name = f"raw.{identifier(table)}"
        fmt = "array" if layout == "array" else "newline_delimited"
        with self.connect() as con:
            self._create_raw(con, table)
            insert = (
                f"insert into {name} select cast(? as date), json, now(), ? from read_json_objects(?, format = '{fmt}')"
            )
            return swap_partition(con.execute, name, partition_date, insert, [partition_date, uri, uri], expected_rows)

    def replace_tsv_partition(
        self, table: str, partition_date: str, uri: str, columns: Sequence[str], expected_rows: int
    ) -> int | None:
        name = f"raw.{identifier(table)}"
        if self._reads_lake_in_place:
            with self.connect() as con:
                con.execute("create schema if not exists raw")
                # Read in place: the raw table is a view over every partition's file in the lake (hive
                # folders give `partition_date` and file pruning), so a 12M-row dump is read once, by the
                # model that needs it, instead of copied first.
                files = partition_glob(uri, partition_date)
                con.execute(
                    f"create or replace view {name} as select {', '.join(map(identifier_ci, columns))},"
                    f" partition_date, filename as _source_uri from {tsv_reader(files, columns, hive=True)}"
                )
                return None
        # An S3 lake: dbt's own DuckDB connection cannot reach s3://, so the rows are copied in.
        return self._copy_text(table, partition_date, uri, columns, tsv_reader("?", columns), expected_rows)

    def replace_csv_partition(
        self, table: str, partition_date: str, uri: str, columns: Sequence[str], expected_rows: int
    ) -> None:
        self._copy_text(table, partition_date, uri, columns, csv_reader("?", columns), expected_rows)

    def _copy_text(
        self, table: str, partition_date: str, uri: str, columns: Sequence[str], reader: str, expected_rows: int
    ) -> int:
        name = f"raw.{identifier(table)}"
        with self.connect() as con:
            con.execute("create schema if not exists raw")
            con.execute(text_table(name, columns))
            insert = f"insert into {name} select cast(? as date), *, ? from {reader}"
            return swap_partition(con.execute, name, partition_date, insert, [partition_date, uri, uri], expected_rows)

    def replace_rows(self, table: str, columns: Mapping[str, str], partitions: Mapping[str, Rows]) -> None:
        name = f"raw.{identifier(table)}"
        with self.connect() as con:
            con.execute("create schema if not exists raw")
            con.execute(typed_table(name, columns))
            for partition_date, (rows, uri) in partitions.items():
                insert, params = rows_insert(name, partition_date, columns, rows, uri)
                swap_partition(con.execute, name, partition_date, insert, params, len(rows))

    @staticmethod
    def _create_raw(con: duckdb.DuckDBPyConnection, table: str) -> None:
        con.execute("create schema if not exists raw")
        con.execute(
            f"create table if not exists raw.{identifier(table)} (partition_date date not null, payload json not null,"
            " _loaded_at timestamp with time zone not null, _source_uri varchar not null)"
        )

    def ensure_raw_table(self, table: str) -> None:
        with self.connect() as con:
            self._create_raw(con, table)

    def partition_profile(
        self, table: str, partition_date: str, paths: Sequence[str] = ()
    ) -> tuple[int, dict[str, int]]:
        name = identifier(table)
        missing = "".join(", count(*) filter (where not coalesce(json_exists(payload, ?), false))" for _ in paths)
        with self.connect() as con:  # one connection, one scan: this runs after every loaded partition
            (exists,) = con.execute(
                "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = ?", [name]
            ).fetchall()[0]
            if not exists:
                return 0, {}
            rows, *absent = con.execute(
                f"select count(*){missing} from raw.{name} where partition_date = ?",
                [*(f"$.{p}" for p in paths), partition_date],
            ).fetchall()[0]
        return rows, {path: n for path, n in zip(paths, absent, strict=True) if n}

    def columns(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple]]:
        with self.connect() as con:
            cursor = con.execute(sql, list(params))
            return [d[0] for d in cursor.description], cursor.fetchall()
