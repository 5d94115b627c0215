-- Letterboxd films by release year and theme group: how many, and their total and average length.
-- A film counts once per group however many of the group's themes it has; films without a theme
-- are grouped as 'No theme', and a theme the seed does not know yet as 'Unmapped'.
with films as (
    select partition_date, movie_id, release_year, runtime_minutes
    from {{ ref('stg_letterboxd__movies') }}
    where {{ partition_window() }}
),

groups as (
    select distinct t.partition_date, t.movie_id, coalesce(g.theme_group, 'Unmapped') as theme_group
    from {{ ref('stg_letterboxd__themes') }} as t
    left join {{ ref('letterboxd_theme_groups') }} as g on t.theme = g.theme
    where {{ partition_window('t.partition_date') }}
)

select
    f.partition_date,
    f.release_year,
    coalesce(g.theme_group, 'No theme') as theme_group,
    count(*) as movie_count,
    sum(f.runtime_minutes) as total_minutes,
    {{ rounded_ratio('sum(f.runtime_minutes)', 'count(f.runtime_minutes)', 1) }} as avg_minutes
from films as f
left join groups as g on f.partition_date = g.partition_date and f.movie_id = g.movie_id
group by 1, 2, 3
