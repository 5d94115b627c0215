"""Compare every mart of two warehouses row by row: `python scripts/marts_equal.py BEFORE.duckdb AFTER.duckdb`.

A refactoring must not change what analysts read. Each mart is compared as a multiset of rows (order
does not matter, duplicates do), every column (no mart records when it was loaded, so two runs of the
same days must agree on all of them). Exits 1 on any difference, naming the mart and a few rows that
only one side has.
"""

from __future__ import annotations

import sys

import duckdb


def marts(con: duckdb.DuckDBPyConnection, alias: str) -> set[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = 'marts'", [alias]
    ).fetchall()
    return {name for (name,) in rows}


def columns(con: duckdb.DuckDBPyConnection, alias: str, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_catalog = ? and "
        "table_schema = 'marts' and table_name = ? order by ordinal_position",
        [alias, table],
    ).fetchall()
    return [name for (name,) in rows]


def compare(before: str, after: str) -> list[str]:
    con = duckdb.connect()
    con.execute(f"attach '{before}' as b (read_only)")
    con.execute(f"attach '{after}' as a (read_only)")
    problems, tables = [], marts(con, "b")
    if tables != marts(con, "a"):
        problems.append(
            f"marts differ: only before {sorted(tables - marts(con, 'a'))}, "
            f"only after {sorted(marts(con, 'a') - tables)}"
        )
    for table in sorted(tables & marts(con, "a")):
        cols = columns(con, "b", table)
        if cols != columns(con, "a", table):
            problems.append(f"marts.{table}: columns differ")
            continue
        select = ", ".join(f'"{c}"' for c in cols)
        rows = con.execute(f"select count(*) from b.marts.{table}").fetchone()[0]
        only = {
            side: con.execute(
                f"select {select} from {x}.marts.{table} except all select {select} from {y}.marts.{table} limit 3"
            ).fetchall()
            for side, x, y in (("before", "b", "a"), ("after", "a", "b"))
        }
        status = "equal" if not (only["before"] or only["after"]) else "DIFFERENT"
        print(f"marts.{table:<40} {rows:>7} rows  {len(cols)} columns  {status}")
        if status != "equal":
            problems.append(f"marts.{table}: only before {only['before']}; only after {only['after']}")
    return problems


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    found = compare(sys.argv[1], sys.argv[2])
    print("\n".join(found) or "every mart equal row by row")
    raise SystemExit(1 if found else 0)
