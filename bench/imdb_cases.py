"""The cases of bench_imdb_titles.py, each run alone in a fresh process: `python imdb_cases.py CASE SPEC OUT`.

SPEC is JSON from the harness: the lake folder, the day, the four files' paths and the scan's query. It
is built there so that a case imports only what it runs with (the scan: DuckDB alone, not this project).

Every case builds the same thing from the same four `.tsv.gz` files of one day: the rows of
`marts.imdb_titles` (same filter, same columns, same rules for names and counts), and prints a JSON
fingerprint of its result so the harness can check that all of them computed the same table.
  project  this project's path: the raw loads, the staging views, the IMDB history (one day: every title
           is `added`) with its checks and the `imdb_titles` view over it, materialized by Dagster into
           a fresh DuckDB file
  pyspark  a PySpark job on local[2], the engine of the pipeline this one replaces, to Parquet
  pandas   a plain pandas script, to Parquet
  scan     DuckDB reading every row of the four files and nothing else (the floor)
"""

import csv
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KEPT = ["movie", "tvMovie", "tvSeries", "tvMiniSeries", "tvSpecial"]
# The fingerprint: enough aggregates that a different filter, cap, join or null rule shows up.
FINGERPRINT = (
    "select count(*), count(distinct title_key), sum(num_directors), sum(num_writers), sum(num_votes),"
    " count(directors), count(writers), sum(length(directors)), sum(length(writers)),"
    " sum(length(genres)), sum(num_of_genres), sum(release_year), count(end_year),"
    " sum(cast(has_ended as int)), sum(runtime_minutes), sum(cast(average_rating * 10 as bigint)),"
    " sum(length(primary_title)) from {table}"
)


def fingerprint(con, table: str) -> list:
    return [int(v) if v is not None else None for v in con.execute(FINGERPRINT.format(table=table)).fetchone()]


def project(spec: dict, out: Path) -> list:
    os.environ.update(
        TV_ASSETS_SOURCES="sample",
        TV_ASSETS_LAKE_DIR=spec["lake"],
        TV_ASSETS_DUCKDB_PATH=str(out / "warehouse.duckdb"),
        TV_ASSETS_START_DATE="2020-01-01",  # the benchmark's fixed day, whatever `$DAGSTER_HOME` recorded
    )
    import dagster as dg
    import duckdb

    from tv_assets.definitions import build_resources
    from tv_assets.platform.settings import load_settings
    from tv_assets.runs import materialize_range

    with dg.instance_for_test() as instance:
        result = materialize_range(
            build_resources(load_settings()),
            instance,
            spec["day"],
            selection=dg.AssetSelection.groups("imdb") - dg.AssetSelection.key_prefixes("lake"),
        )
        steps = {
            e.step_key: e.event_specific_data.duration_ms / 1000
            for e in result.all_events
            if e.event_type_value == "STEP_SUCCESS"
        }
    print(json.dumps({"steps_s": steps}), file=sys.stderr)
    with duckdb.connect(str(out / "warehouse.duckdb"), read_only=True) as con:
        return fingerprint(con, "marts.imdb_titles")


def pyspark(spec: dict, out: Path) -> list:
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F  # noqa: N812 (PySpark's own convention)

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("imdb_titles")
        .config("spark.driver.memory", "6g")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")

    def read(dataset: str):
        # IMDB's TSV: tabs, no quoting ("" disables it), no escapes, only \N is null, all text.
        return spark.read.csv(
            spec["files"][dataset],
            sep="\t",
            header=True,
            quote="",
            escape="",
            nullValue="\\N",
            emptyValue="",
            inferSchema=False,
        )

    basics = read("title_basics").where(F.col("titleType").isin(KEPT) & (F.col("isAdult") == "0"))
    crew = read("title_crew").join(basics.select("tconst"), "tconst", "left_semi")
    names = read("name_basics").select(F.col("nconst").alias("name_key"), "primaryName")
    credits = (
        crew.select("tconst", F.lit("director").alias("role"), F.posexplode(F.split("directors", ",")))
        .unionByName(crew.select("tconst", F.lit("writer").alias("role"), F.posexplode(F.split("writers", ","))))
        .withColumnRenamed("col", "name_key")
        .join(names, "name_key", "left")
    )

    def first_five(role: str):
        keep = (F.col("role") == role) & (F.col("pos") < 5) & F.col("primaryName").isNotNull()
        ordered = F.array_sort(F.collect_list(F.when(keep, F.struct("pos", "primaryName"))))
        joined = F.array_join(F.transform(ordered, lambda x: x["primaryName"]), ",")
        return F.when(joined != "", joined)

    people = credits.groupBy("tconst").agg(
        F.count(F.when(F.col("role") == "director", 1)).alias("num_directors"),
        F.count(F.when(F.col("role") == "writer", 1)).alias("num_writers"),
        first_five("director").alias("directors"),
        first_five("writer").alias("writers"),
    )
    ratings = read("title_ratings")
    titles = (
        basics.join(people, "tconst", "left")
        .join(ratings, "tconst", "left")
        .select(
            F.col("tconst").alias("title_key"),
            F.col("primaryTitle").alias("primary_title"),
            F.col("originalTitle").alias("original_title"),
            F.col("titleType").alias("title_type"),
            "directors",
            "writers",
            "genres",
            (F.coalesce("num_directors", F.lit(0)) > 0).alias("has_directors"),
            (F.coalesce("num_writers", F.lit(0)) > 0).alias("has_writers"),
            F.col("endYear").isNotNull().alias("has_ended"),
            F.when(F.col("genres").isNull(), 0).otherwise(F.size(F.split("genres", ","))).alias("num_of_genres"),
            F.col("startYear").cast("int").alias("release_year"),
            F.col("endYear").cast("int").alias("end_year"),
            F.col("averageRating").cast("decimal(3,1)").alias("average_rating"),
            F.col("numVotes").cast("bigint").alias("num_votes"),
            F.col("runtimeMinutes").cast("int").alias("runtime_minutes"),
            F.coalesce("num_directors", F.lit(0)).alias("num_directors"),
            F.coalesce("num_writers", F.lit(0)).alias("num_writers"),
        )
    )
    titles.write.mode("overwrite").parquet(str(out / "imdb_titles_spark"))
    spark.stop()
    import duckdb

    return fingerprint(duckdb.connect(), f"read_parquet('{out / 'imdb_titles_spark'}/*.parquet')")


def pandas(spec: dict, out: Path) -> list:
    import pandas as pd

    def read(dataset: str, usecols: list[str]) -> pd.DataFrame:
        # pandas' IMDB trap list: QUOTE_NONE, only \N as NA, no default NA strings (a title called NA).
        return pd.read_csv(
            spec["files"][dataset],
            sep="\t",
            quoting=csv.QUOTE_NONE,
            na_values=["\\N"],
            keep_default_na=False,
            dtype=str,
            usecols=usecols,
        )

    basics = read(
        "title_basics",
        [
            "tconst",
            "titleType",
            "primaryTitle",
            "originalTitle",
            "isAdult",
            "startYear",
            "endYear",
            "runtimeMinutes",
            "genres",
        ],
    )
    basics = basics[basics["titleType"].isin(KEPT) & (basics["isAdult"] == "0")]
    crew = read("title_crew", ["tconst", "directors", "writers"])
    crew = crew[crew["tconst"].isin(basics["tconst"])]
    names = read("name_basics", ["nconst", "primaryName"]).set_index("nconst")["primaryName"]
    parts = []
    for role, column in (("director", "directors"), ("writer", "writers")):
        listed = crew[["tconst", column]].dropna()
        exploded = listed.assign(name_key=listed[column].str.split(",")).explode("name_key")
        exploded["pos"] = exploded.groupby(level=0).cumcount()
        exploded["role"] = role
        parts.append(exploded[["tconst", "role", "name_key", "pos"]])
    credits = pd.concat(parts, ignore_index=True)
    credits["primaryName"] = credits["name_key"].map(names)
    counts = credits.pivot_table(index="tconst", columns="role", values="pos", aggfunc="size", fill_value=0)
    shown = credits[(credits["pos"] < 5) & credits["primaryName"].notna()].sort_values(["tconst", "role", "pos"])
    lists = shown.groupby(["tconst", "role"])["primaryName"].agg(",".join).unstack()
    ratings = read("title_ratings", ["tconst", "averageRating", "numVotes"])
    t = basics.merge(ratings, on="tconst", how="left")
    t = t.merge(counts, left_on="tconst", right_index=True, how="left").merge(
        lists, left_on="tconst", right_index=True, how="left", suffixes=("_n", "")
    )
    num_d = t["director_n"].fillna(0).astype("int64")
    num_w = t["writer_n"].fillna(0).astype("int64")
    result = pd.DataFrame(
        {
            "title_key": t["tconst"],
            "primary_title": t["primaryTitle"],
            "original_title": t["originalTitle"],
            "title_type": t["titleType"],
            "directors": t["director"],
            "writers": t["writer"],
            "genres": t["genres"],
            "has_directors": num_d > 0,
            "has_writers": num_w > 0,
            "has_ended": t["endYear"].notna(),
            "num_of_genres": t["genres"].str.count(",").add(1).fillna(0).astype("int64"),
            "release_year": pd.to_numeric(t["startYear"]).astype("Int64"),
            "end_year": pd.to_numeric(t["endYear"]).astype("Int64"),
            "average_rating": pd.to_numeric(t["averageRating"]),
            "num_votes": pd.to_numeric(t["numVotes"]).astype("Int64"),
            "runtime_minutes": pd.to_numeric(t["runtimeMinutes"]).astype("Int64"),
            "num_directors": num_d,
            "num_writers": num_w,
        }
    )
    result.to_parquet(out / "imdb_titles_pandas.parquet", index=False)
    import duckdb

    return fingerprint(duckdb.connect(), f"read_parquet('{out / 'imdb_titles_pandas.parquet'}')")


def scan(spec: dict, out: Path) -> list:
    import duckdb

    return sorted(duckdb.connect().execute(spec["scan_sql"]).fetchall())


if __name__ == "__main__":
    case, spec, out = sys.argv[1], json.loads(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    result = globals()[case](spec, out)
    print(json.dumps({"case": case, "inner_s": round(time.perf_counter() - started, 2), "fingerprint": result}))
