-- Star schema fact: one row per tracked show and day, posts counted by X for its hashtags and its name.
-- A day without an answer for a query kind counts 0 for that kind only if the other kind was counted.
select
    partition_date,
    tmdb_id,
    coalesce(sum(case when query_kind = 'hashtag' then tweet_count end), 0) as hashtag_count,
    coalesce(sum(case when query_kind = 'text' then tweet_count end), 0) as text_count,
    coalesce(sum(tweet_count), 0) as total
from {{ ref('stg_x__tweet_counts') }}
where {{ partition_window() }}
group by partition_date, tmdb_id
