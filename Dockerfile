# The tv_assets code location as a gRPC code server (port 4000), dbt manifest prepared at build time; the
# webserver and the daemon of deploy/docker-compose.yaml run from the same image.
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
# The instance templates and the deployment's workspace (deploy/docker-compose.yaml runs all three services
# from this image).
COPY deploy ./deploy
# Editable, so the package finds dbt/ beside it, as in a checkout; the manifests are prepared here, not at
# import (what `make manifest` runs), for both warehouses. Parsing reads the Snowflake profile but never
# connects: placeholders stand in for its account and user, only for this command.
RUN pip install -c constraints.txt -e . \
 && mkdir -p "$DAGSTER_HOME" /data \
 && python -m tv_assets.platform.dbt duckdb \
 && SNOWFLAKE_ACCOUNT=parse-only SNOWFLAKE_USER=parse-only SNOWFLAKE_PASSWORD=parse-only \
    python -m tv_assets.platform.dbt snowflake

EXPOSE 4000
CMD ["dagster", "code-server", "start", "-h", "0.0.0.0", "-p", "4000", "-m", "tv_assets.definitions"]
