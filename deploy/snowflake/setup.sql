-- tv_assets: one-time Snowflake setup, run by an administrator (SnowSQL variables, see README):
--   snowsql -o variable_substitution=true -f deploy/snowflake/setup.sql \
--     -D lake_url=s3://my-bucket/tv_assets/ -D aws_role_arn=arn:aws:iam::123456789012:role/tv-assets-snowflake \
--     -D loader_user=TV_ASSETS_SVC -D analyst_user=JANE
-- Re-running it is safe: every statement is idempotent.
--
-- Least privilege, one role per duty:
--   TV_ASSETS_LOADER       Dagster's load assets: reads the lake stage, owns the RAW schema's tables.
--   TV_ASSETS_TRANSFORMER  dbt: reads RAW, creates and owns STAGING and MARTS.
--   TV_ASSETS_ANALYST      analysts: read-only on MARTS (dbt grants SELECT on each mart it builds).

use role securityadmin;
create role if not exists tv_assets_loader comment = 'tv_assets: loads raw tables from the lake stage';
create role if not exists tv_assets_transformer comment = 'tv_assets: dbt, builds staging and marts';
create role if not exists tv_assets_analyst comment = 'tv_assets: reads marts';
grant role tv_assets_loader to role sysadmin;
grant role tv_assets_transformer to role sysadmin;
grant role tv_assets_analyst to role sysadmin;
grant role tv_assets_loader to user &{loader_user};
grant role tv_assets_transformer to user &{loader_user};
grant role tv_assets_analyst to user &{analyst_user};

use role sysadmin;
create warehouse if not exists tv_assets_wh
    warehouse_size = xsmall auto_suspend = 60 auto_resume = true initially_suspended = true;
create database if not exists tv_assets;
create schema if not exists tv_assets.raw;
create schema if not exists tv_assets.staging;
create schema if not exists tv_assets.marts;

use role accountadmin;
create storage integration if not exists tv_assets_lake
    type = external_stage storage_provider = 's3' enabled = true
    storage_aws_role_arn = '&{aws_role_arn}'
    storage_allowed_locations = ('&{lake_url}');
grant usage on integration tv_assets_lake to role sysadmin;

use role sysadmin;
create stage if not exists tv_assets.raw.lake_stage
    url = '&{lake_url}' storage_integration = tv_assets_lake
    comment = 'the tv_assets lake: payloads as received, hive layout raw/<source>/<dataset>/partition_date=D/';

-- Compute: every role runs queries on the one small warehouse.
grant usage on warehouse tv_assets_wh to role tv_assets_loader;
grant usage on warehouse tv_assets_wh to role tv_assets_transformer;
grant usage on warehouse tv_assets_wh to role tv_assets_analyst;
grant usage on database tv_assets to role tv_assets_loader;
grant usage on database tv_assets to role tv_assets_transformer;
grant usage on database tv_assets to role tv_assets_analyst;

-- Loader: the stage and RAW only.
grant usage on stage tv_assets.raw.lake_stage to role tv_assets_loader;
grant usage, create table on schema tv_assets.raw to role tv_assets_loader;

-- Transformer: reads RAW (today's tables and future ones), builds in STAGING and MARTS.
grant usage on schema tv_assets.raw to role tv_assets_transformer;
grant select on all tables in schema tv_assets.raw to role tv_assets_transformer;
grant select on future tables in schema tv_assets.raw to role tv_assets_transformer;
grant usage, create table, create view on schema tv_assets.staging to role tv_assets_transformer;
grant usage, create table, create view on schema tv_assets.marts to role tv_assets_transformer;

-- Analyst: MARTS only; SELECT on each mart comes from dbt's `grants` config at build time.
grant usage on schema tv_assets.marts to role tv_assets_analyst;
