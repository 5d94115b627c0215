-- Shows that aired on the day, ranked by TVMaze rating within their show type (1 = best).
-- Unrated shows have no rank and are left out; ties share a rank.
with aired as (
    select
        partition_date, show_id, show_name, show_type, show_rating,
        min(channel_name) as channel_name,
        count(*) as episodes_aired
    from {{ ref('int_tvmaze__episodes_enriched') }}
    where {{ partition_window() }} and show_rating is not null
    group by partition_date, show_id, show_name, show_type, show_rating
)

select
    partition_date,
    show_type,
    rank() over (partition by partition_date, show_type order by show_rating desc) as rating_rank,
    count(*) over (partition by partition_date, show_type) as rated_shows_in_type,
    show_id,
    show_name,
    show_rating,
    channel_name,
    episodes_aired
from aired
