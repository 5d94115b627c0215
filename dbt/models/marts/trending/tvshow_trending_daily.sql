-- Per tracked show and day: popularity and votes against the previous day and the trailing 7 days,
-- mentions and their growth, the show's place in TMDB's popular and trending lists that day, and the
-- day's riser rank (1 = biggest popularity gain in percent).
-- "Previous day" means the calendar day before; when it was not recorded, the day-over-day columns
-- are null rather than compared with an older day. Trailing 7 days = the 7 calendar days before.
with stats as (
    select s.*, m.total as mentions
    from {{ ref('fct_tmdb_stat') }} as s
    left join {{ ref('fct_tweet_stat') }} as m on m.partition_date = s.partition_date and m.tmdb_id = s.tmdb_id
    where
        s.partition_date >= {{ dbt.dateadd('day', -7, "cast('" ~ window_bounds()[0] ~ "' as date)") }}
        and s.partition_date < cast('{{ window_bounds()[1] }}' as date)
),

last_week as (
    select
        cur.partition_date,
        cur.tmdb_id,
        avg(w.popularity) as trailing_7d_popularity,
        avg(w.mentions) as trailing_7d_mentions,
        max(case when w.partition_date = {{ dbt.dateadd('day', -7, 'cur.partition_date') }} then w.vote_count end) as vote_count_7d_ago
    from stats as cur
    inner join stats as w
        on
            w.tmdb_id = cur.tmdb_id
            and w.partition_date >= {{ dbt.dateadd('day', -7, 'cur.partition_date') }}
            and w.partition_date < cur.partition_date
    where {{ partition_window('cur.partition_date') }}
    group by cur.partition_date, cur.tmdb_id
),

compared as (
    select
        cur.partition_date,
        cur.tmdb_id,
        cur.popularity,
        cur.vote_count,
        cur.vote_average,
        cur.mentions,
        prev.popularity as prev_popularity,
        prev.vote_count as prev_vote_count,
        prev.vote_average as prev_vote_average,
        prev.mentions as prev_mentions,
        t.trailing_7d_popularity,
        t.trailing_7d_mentions,
        t.vote_count_7d_ago
    from stats as cur
    left join stats as prev
        on prev.tmdb_id = cur.tmdb_id and prev.partition_date = {{ dbt.dateadd('day', -1, 'cur.partition_date') }}
    left join last_week as t on t.partition_date = cur.partition_date and t.tmdb_id = cur.tmdb_id
    where {{ partition_window('cur.partition_date') }}
),

measured as (
    select
        c.*,
        c.popularity - c.prev_popularity as popularity_change_1d,
        round(100 * (c.popularity - c.prev_popularity) / nullif(c.prev_popularity, 0), 2) as popularity_change_pct_1d
    from compared as c
)

select
    m.partition_date,
    m.tmdb_id,
    d.name as show_name,
    m.popularity,
    m.prev_popularity,
    m.popularity_change_1d,
    m.popularity_change_pct_1d,
    round(m.popularity - m.trailing_7d_popularity, 3) as popularity_vs_trailing_7d,
    m.vote_count,
    m.vote_count - m.prev_vote_count as votes_added_1d,
    m.vote_count - m.vote_count_7d_ago as votes_added_7d,
    m.vote_average,
    m.vote_average - m.prev_vote_average as vote_average_change_1d,
    m.mentions,
    m.mentions - m.prev_mentions as mentions_change_1d,
    round(m.mentions / nullif(m.trailing_7d_mentions, 0), 3) as mention_growth_vs_trailing_7d,
    popular.list_position as popular_position,
    trending.list_position as trending_position,
    case
        when m.popularity_change_pct_1d is not null
            then rank() over (partition by m.partition_date order by m.popularity_change_pct_1d desc nulls last)
    end as riser_rank
from measured as m
left join {{ ref('dim_tvshows') }} as d on d.partition_date = m.partition_date and d.tmdb_id = m.tmdb_id
left join {{ ref('stg_tmdb__list_entries') }} as popular
    on popular.partition_date = m.partition_date and popular.tmdb_id = m.tmdb_id and popular.list_name = 'popular'
left join {{ ref('stg_tmdb__list_entries') }} as trending
    on trending.partition_date = m.partition_date and trending.tmdb_id = m.tmdb_id and trending.list_name = 'trending'
