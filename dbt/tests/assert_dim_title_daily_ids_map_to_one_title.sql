-- dim_title_daily (and so dim_title, its newest day) on each day of the run's window: a title once, every
-- source's id on at most one title, a kind of movie or series, 1 to 6 source records and a confidence
-- between 0 and 1. One pass over the window's titles, where a generic test each would compute the view
-- again. Fails with a row per broken rule and day.
{{ config(meta={'dagster': {'ref': {'name': 'dim_title_daily'}}}) }}
with titles as (
    select * from {{ ref('dim_title_daily') }} where {{ partition_window() }}
),

ids as (
    select partition_date, 'title_key' as id_column, title_key as id from titles
    union all
    select partition_date, 'imdb_id', imdb_id from titles where imdb_id is not null
    union all
    select partition_date, 'tmdb_tv_id', cast(tmdb_tv_id as varchar) from titles where tmdb_tv_id is not null
    union all
    select partition_date, 'tmdb_movie_id', cast(tmdb_movie_id as varchar) from titles where tmdb_movie_id is not null
    union all
    select partition_date, 'tvmaze_id', cast(tvmaze_id as varchar) from titles where tvmaze_id is not null
    union all
    select partition_date, 'movielens_id', cast(movielens_id as varchar) from titles where movielens_id is not null
    union all
    select partition_date, 'letterboxd_id', cast(letterboxd_id as varchar) from titles where letterboxd_id is not null
)

select partition_date, id_column || ' on more than one title' as broken, id as example
from ids
group by partition_date, id_column, id
having count(*) > 1
union all
select partition_date, 'title_key, title_kind or source_count missing or out of range', title_key
from titles
where
    title_key is null
    or title_kind is null or title_kind not in ('movie', 'series')
    or source_count is null or source_count not between 1 and 6
    or match_confidence not between 0 and 1
