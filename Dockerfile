# The tv_assets code location as a gRPC code server (port 4000), dbt manifest prepared at build time.
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 \
    PYTHONUNBUFFERED=1 \
    DAGSTER_HOME=/opt/dagster/home \
    TV_ASSETS_LAKE_DIR=/data/lake \
    TV_ASSETS_DUCKDB_PATH=/data/warehouse.duckdb

WORKDIR /opt/tv_assets
COPY pyproject.toml constraints.txt README.md ./
COPY tv_assets ./tv_assets
COPY dbt ./dbt
# Editable, so the package finds dbt/ beside it, as in a checkout; the manifest is prepared here, not at
# import (what `make manifest` runs).
RUN pip install -c constraints.txt -e . \
 && mkdir -p "$DAGSTER_HOME" /data \
 && python -m tv_assets.platform.dbt duckdb

EXPOSE 4000
CMD ["dagster", "code-server", "start", "-h", "0.0.0.0", "-p", "4000", "-m", "tv_assets.definitions"]
