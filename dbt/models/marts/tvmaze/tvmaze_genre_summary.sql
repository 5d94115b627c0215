-- Per genre and day: shows, episodes and average rating. A show counts once in each of its
-- genres; shows with no genre are grouped under '(none)'.
with per_show as (
    select partition_date, show_id, show_rating, count(*) as episodes
    from {{ ref('int_tvmaze__episodes_enriched') }}
    where {{ partition_window() }}
    group by partition_date, show_id, show_rating
),

genres as (
    select * from {{ ref('int_tvmaze__show_genres') }} where {{ partition_window() }}
)

select
    p.partition_date,
    coalesce(g.genre, '(none)') as genre,
    count(*) as shows,
    count(p.show_rating) as rated_shows,
    sum(p.episodes) as episodes,
    {{ mean_of_tenths('p.show_rating') }} as avg_show_rating
from per_show as p
left join genres as g on g.partition_date = p.partition_date and g.show_id = p.show_id
group by p.partition_date, coalesce(g.genre, '(none)')
