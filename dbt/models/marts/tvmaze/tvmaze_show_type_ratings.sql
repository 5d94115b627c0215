-- Which show types rate best: per day and show type, the average rating of the shows that aired.
with per_show as (
    select partition_date, show_type, show_id, show_rating, count(*) as episodes
    from {{ ref('int_tvmaze__episodes_enriched') }}
    where {{ partition_window() }}
    group by partition_date, show_type, show_id, show_rating
),

per_type as (
    select
        partition_date,
        show_type,
        count(*) as shows,
        count(show_rating) as rated_shows,
        sum(episodes) as episodes,
        {{ mean_of_tenths('show_rating') }} as avg_show_rating,
        min(show_rating) as min_show_rating,
        max(show_rating) as max_show_rating
    from per_show
    group by partition_date, show_type
)

select
    *,
    case
        when avg_show_rating is not null
            then rank() over (partition by partition_date order by avg_show_rating desc nulls last)
    end as type_rank
from per_type
