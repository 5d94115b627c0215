-- IMDB's titles by change: a row only on the snapshot day a title of the kept types was added, changed
-- (any of its names, type, years, runtime, genres, directors or writers) or removed. Ratings and votes
-- change far more often and are kept apart (imdb_rating_changes). Crew lists are split only for the kept
-- titles (most of IMDB's 12M rows are episodes), in one pass over the window's three files.

with titles as (
    select *
    from {{ ref('stg_imdb__title_basics') }}
    where
        {{ partition_window() }}
        and {{ imdb_kept_titles() }}
),

crew as (
    select c.partition_date, c.title_key, c.director_keys, c.writer_keys
    from {{ ref('stg_imdb__title_crew') }} as c
    inner join titles as t on t.partition_date = c.partition_date and t.title_key = c.title_key
    where {{ partition_window('c.partition_date') }}
),

credits as (
    select partition_date, title_key, 'director' as role, value as name_key, position
    from ({{ exploded_list('crew', ['partition_date', 'title_key'], 'director_keys') }}) as d
    union all
    select partition_date, title_key, 'writer' as role, value as name_key, position
    from ({{ exploded_list('crew', ['partition_date', 'title_key'], 'writer_keys') }}) as w
),

named as (
    select cr.*, n.primary_name
    from credits as cr
    left join {{ ref('stg_imdb__name_basics') }} as n
        on n.partition_date = cr.partition_date and n.name_key = cr.name_key
    where {{ partition_window('cr.partition_date') }}
),

people as (
    select
        partition_date,
        title_key,
        count(case when role = 'director' then 1 end) as num_directors,
        count(case when role = 'writer' then 1 end) as num_writers,
        {{ first_in_order("case when role = 'director' then primary_name end", 'position', 5) }} as directors,
        {{ first_in_order("case when role = 'writer' then primary_name end", 'position', 5) }} as writers
    from named
    group by partition_date, title_key
),

snapshot as (
    select
        t.partition_date,
        t.title_key,
        t.primary_title,
        t.original_title,
        t.title_type,
        p.directors,
        p.writers,
        t.genres,
        t.start_year as release_year,
        t.end_year,
        t.runtime_minutes,
        coalesce(p.num_directors, 0) as num_directors,
        coalesce(p.num_writers, 0) as num_writers
    from titles as t
    left join people as p on p.partition_date = t.partition_date and p.title_key = t.title_key
),

{{ snapshot_changes('snapshot', 'title_key', [
    'primary_title', 'original_title', 'title_type', 'directors', 'writers', 'genres', 'release_year',
    'end_year', 'runtime_minutes', 'num_directors', 'num_writers']) }}
