-- Every staged episode is counted exactly once in the network summary and in the airing slots.
-- Attached to the network summary as its asset check.
{{ config(meta={'dagster': {'ref': {'name': 'tvmaze_network_summary'}}}) }}
with staged as (
    select partition_date, count(*) as episodes from {{ ref('stg_tvmaze__episodes') }} group by partition_date
),

networks as (
    select partition_date, sum(episodes) as episodes from {{ ref('tvmaze_network_summary') }} group by partition_date
),

slots as (
    select partition_date, sum(episodes) as episodes from {{ ref('tvmaze_airing_slots') }} group by partition_date
)

select s.partition_date, s.episodes as staged, n.episodes as in_network_summary, sl.episodes as in_airing_slots
from staged as s
left join networks as n on n.partition_date = s.partition_date
left join slots as sl on sl.partition_date = s.partition_date
where n.episodes is distinct from s.episodes or sl.episodes is distinct from s.episodes
