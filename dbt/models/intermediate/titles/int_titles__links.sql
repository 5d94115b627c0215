-- One row per source record and day: the title it belonged to that day and how that was decided, as
-- of each of the graph's days (int_titles__days). A view over the links' history
-- (int_titles__link_changes): filter on `partition_date` for one day; nothing is stored twice.
{{ config(materialized='view') }}

with versions as (
    select
        *,
        partition_date as valid_from,
        lead(partition_date) over (partition by source, source_id order by partition_date) as valid_to
    from {{ ref('int_titles__link_changes') }}
)

select
    d.partition_date,
    v.source,
    v.source_id,
    v.title_key,
    v.title_kind,
    v.title_name,
    v.release_year,
    v.match_method,
    v.match_confidence,
    v.name_candidates
from {{ ref('int_titles__days') }} as d
inner join versions as v
    on v.valid_from <= d.partition_date and (v.valid_to is null or d.partition_date < v.valid_to)
where v.change_type <> 'removed'
