-- One row per title and day with any signal that day: IMDB's rating and votes where that day's dump changed them,
-- TMDB's popularity and votes, posts on X, episodes TVMaze scheduled, and MovieLens ratings given that
-- day (in the newest Kaggle drop). Titles join `dim_title_daily` on `partition_date, title_key`.
with titles as (
    select * from {{ ref('dim_title_daily') }} where {{ partition_window() }}
),

movielens_ratings as (
    {{ newest_drop('stg_movies__ratings', {'movielens_id': 'bigint', 'rating': 'double', 'rated_at': 'timestamp'}) }}
),

signals as (
    select
        t.partition_date, t.title_key, i.average_rating as imdb_rating, i.num_votes as imdb_votes,
        cast(null as decimal(14, 3)) as tmdb_popularity, cast(null as bigint) as tmdb_vote_count,
        cast(null as decimal(6, 3)) as tmdb_vote_average, cast(null as bigint) as mentions,
        cast(null as bigint) as episodes_aired, cast(null as bigint) as movielens_ratings,
        cast(null as bigint) as movielens_half_stars
    from titles as t
    inner join {{ ref('imdb_rating_changes') }} as i on i.partition_date = t.partition_date and i.title_key = t.imdb_id
    where {{ partition_window('i.partition_date') }} and i.num_votes is not null
    union all
    select t.partition_date, t.title_key, null, null, s.popularity, s.vote_count, s.vote_average, null, null, null, null
    from titles as t
    inner join {{ ref('fct_tmdb_stat') }} as s on s.partition_date = t.partition_date and s.tmdb_id = t.tmdb_tv_id
    where {{ partition_window('s.partition_date') }}
    union all
    select t.partition_date, t.title_key, null, null, null, null, null, x.total, null, null, null
    from titles as t
    inner join {{ ref('fct_tweet_stat') }} as x on x.partition_date = t.partition_date and x.tmdb_id = t.tmdb_tv_id
    where {{ partition_window('x.partition_date') }}
    union all
    select t.partition_date, t.title_key, null, null, null, null, null, null, count(distinct e.episode_id), null, null
    from titles as t
    inner join {{ ref('stg_tvmaze__episodes') }} as e on e.partition_date = t.partition_date and e.show_id = t.tvmaze_id
    where {{ partition_window('e.partition_date') }}
    group by t.partition_date, t.title_key
    union all
    select t.partition_date, t.title_key, null, null, null, null, null, null, null, count(*), sum(cast(round(r.rating * 2) as bigint))
    from titles as t
    inner join movielens_ratings as r
        on r.movielens_id = t.movielens_id and cast(r.rated_at as date) = t.partition_date
    group by t.partition_date, t.title_key
)

select
    partition_date,
    title_key,
    max(imdb_rating) as imdb_rating,
    max(imdb_votes) as imdb_votes,
    max(tmdb_popularity) as tmdb_popularity,
    max(tmdb_vote_count) as tmdb_vote_count,
    max(tmdb_vote_average) as tmdb_vote_average,
    max(mentions) as mentions,
    max(episodes_aired) as episodes_aired,
    max(movielens_ratings) as movielens_ratings,
    -- ratings are half stars: an integer sum of halves gives the same rounded mean on every engine
    {{ rounded_ratio('max(movielens_half_stars)', '2 * max(movielens_ratings)', 2) }} as movielens_average_rating
from signals
group by partition_date, title_key
