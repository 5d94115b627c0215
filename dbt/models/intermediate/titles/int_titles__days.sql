-- The days the title graph is decided on: every day with a snapshot of IMDB, TVMaze's shows or TMDB's
-- tracked shows. The records are built for these days, and the links and titles can be read as of any
-- of them. A view: a handful of rows, computed from the snapshots' own days.
{{ config(materialized='view') }}

select partition_date from {{ ref('imdb_snapshots') }}
union
select distinct partition_date from {{ ref('stg_tvmaze__shows') }}
union
select distinct partition_date from {{ ref('stg_tmdb__tv_details') }}
