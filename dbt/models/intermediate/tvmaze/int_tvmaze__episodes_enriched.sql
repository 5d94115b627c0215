-- Each scheduled episode with its show (as of that day) and the channel it aired on:
-- the one join every TVMaze mart starts from.
with episodes as (
    select * from {{ ref('stg_tvmaze__episodes') }} where {{ partition_window() }}
),

shows as (
    select * from {{ ref('stg_tvmaze__shows') }} where {{ partition_window() }}
),

channels as (
    select * from {{ ref('stg_tvmaze__channels') }} where {{ partition_window() }}
)

select
    e.partition_date,
    e.episode_id,
    e.show_id,
    s.show_name,
    coalesce(s.show_type, 'Unknown') as show_type,
    s.rating_average as show_rating,
    e.channel_key,
    c.channel_name,
    c.channel_kind,
    c.country_code,
    e.is_special,
    e.airdate,
    e.airtime,
    e.airtime_hour,
    e.airstamp_utc,
    coalesce(e.runtime_minutes, s.runtime_minutes, s.average_runtime_minutes) as runtime_minutes
from episodes as e
left join shows as s on s.partition_date = e.partition_date and s.show_id = e.show_id
left join channels as c on c.partition_date = e.partition_date and c.channel_key = e.channel_key
