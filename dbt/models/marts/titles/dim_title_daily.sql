-- One row per real-world title and day with every id the sources know it by (int_titles__links decides
-- which records are one title). The name and year shown are IMDB's when IMDB lists the title, else the
-- first source that names it in the order TMDB TV, TVMaze, TMDB film, Letterboxd. A view over the links'
-- history, so any day's titles cost no storage: filter on `partition_date` for one day (dim_title is the
-- newest day's).
{{ config(materialized='view') }}

with links as (
    select
        *,
        case source
            when 'imdb' then 1 when 'tmdb_tv' then 2 when 'tvmaze' then 3 when 'tmdb_movie' then 4
            when 'letterboxd' then 5 else 6
        end as name_priority
    from {{ ref('int_titles__links') }}
),

named as (
    select partition_date, title_key, title_name, release_year
    from (
        select *, row_number() over (partition by partition_date, title_key order by name_priority, source_id) as pick
        from links
        where title_name is not null
    ) as l
    where pick = 1
)

select
    l.partition_date,
    l.title_key,
    n.title_name,
    min(l.title_kind) as title_kind,
    n.release_year,
    case when l.title_key like 'tt%' then l.title_key end as imdb_id,
    max(case when l.source = 'tmdb_tv' then cast(l.source_id as bigint) end) as tmdb_tv_id,
    max(case when l.source = 'tmdb_movie' then cast(l.source_id as bigint) end) as tmdb_movie_id,
    max(case when l.source = 'tvmaze' then cast(l.source_id as bigint) end) as tvmaze_id,
    max(case when l.source = 'movielens' then cast(l.source_id as bigint) end) as movielens_id,
    max(case when l.source = 'letterboxd' then cast(l.source_id as bigint) end) as letterboxd_id,
    count(*) as source_count,
    count(case when l.match_method = 'title_year' then 1 end) as name_matched_ids,
    min(l.match_confidence) as match_confidence,
    {{ dbt.listagg("l.source || '=' || l.match_method", "', '", "order by l.source") }} as matched_by
from links as l
left join named as n on n.partition_date = l.partition_date and n.title_key = l.title_key
group by l.partition_date, l.title_key, n.title_name, n.release_year
