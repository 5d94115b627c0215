-- One row per title record of each source and day: its id, kind, names, year and the other sources'
-- ids it carries. IMDB (its state that day), TMDB and TVMaze are that day's snapshots; MovieLens, TMDB
-- films and Letterboxd come from the newest Kaggle drop (see the `newest_drop` macro), on each of the
-- graph's days (int_titles__days). A view over every day, so the records of every day (1.8M at real
-- volume) are not stored again: the links read their window of it, and the engine takes the day's
-- filter down to each source (at real volume: one day of five in 1.9 s, all five in 6.4 s). No window
-- is in here: a view's window would be the one of the build that last created it.
{{ config(materialized='view') }}

with days as (
    select partition_date from {{ ref('int_titles__days') }}
),

metadata as (
    {{ newest_drop('stg_movies__metadata', {'tmdb_id': 'bigint', 'imdb_id': 'varchar', 'title': 'varchar',
                                            'original_title': 'varchar', 'release_year': 'integer'}) }}
),

links as (
    {{ newest_drop('stg_movies__links', {'movielens_id': 'bigint', 'imdb_id': 'varchar', 'tmdb_id': 'bigint'}) }}
),

letterboxd as (
    {{ newest_drop('stg_letterboxd__movies', {'movie_id': 'bigint', 'movie_name': 'varchar', 'release_year': 'integer'}) }}
),

records as (
    select
        partition_date, 'imdb' as source, title_key as source_id,
        case when title_type in ('tvSeries', 'tvMiniSeries') then 'series' else 'movie' end as title_kind,
        primary_title as title_name, original_title as alt_name, release_year,
        title_key as imdb_id, cast(null as bigint) as tvdb_id, cast(null as bigint) as tmdb_movie_id
    from {{ ref('imdb_titles_daily') }}
    union all
    select
        partition_date, 'tmdb_tv', cast(tmdb_id as varchar), 'series', show_name, original_name,
        cast(extract(year from first_air_date) as integer), imdb_id, tvdb_id, cast(null as bigint)
    from {{ ref('stg_tmdb__tv_details') }}
    union all
    select
        partition_date, 'tvmaze', cast(show_id as varchar), 'series', show_name, cast(null as varchar),
        cast(extract(year from premiered_on) as integer), nullif(imdb_id, ''), thetvdb_id, cast(null as bigint)
    from {{ ref('stg_tvmaze__shows') }}
    union all
    select
        d.partition_date, 'tmdb_movie', cast(m.tmdb_id as varchar), 'movie', m.title, m.original_title,
        cast(m.release_year as integer), m.imdb_id, cast(null as bigint), m.tmdb_id
    from days as d cross join metadata as m
    union all
    -- MovieLens has no names of its own here: the linked TMDB film's, for the name match
    select
        d.partition_date, 'movielens', cast(l.movielens_id as varchar), 'movie', m.title, m.original_title,
        cast(m.release_year as integer), l.imdb_id, cast(null as bigint), l.tmdb_id
    from days as d cross join links as l
    left join metadata as m on m.tmdb_id = l.tmdb_id
    union all
    select
        d.partition_date, 'letterboxd', cast(b.movie_id as varchar), 'movie', b.movie_name, cast(null as varchar),
        b.release_year, cast(null as varchar), cast(null as bigint), cast(null as bigint)
    from days as d cross join letterboxd as b
)

select
    *,
    {{ title_match_key('title_name') }} as name_key,
    {{ title_match_key('alt_name') }} as alt_name_key
from records
