-- One row per real-world title as of the graph's newest day, with every id its sources know it by: the
-- current picture. The same columns as dim_title_daily, which has every day's.
{{ config(materialized='view') }}

select
    d.* exclude (partition_date),
    d.partition_date as last_seen_on
from {{ ref('dim_title_daily') }} as d
where d.partition_date = (select max(partition_date) from {{ ref('int_titles__days') }})
