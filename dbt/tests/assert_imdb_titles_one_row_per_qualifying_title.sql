-- Every qualifying title of the run's snapshots is in imdb_titles exactly once, and nothing else is:
-- per day, the titles kept equal the titles of the kept types in the staged dump.
-- Attached to imdb_titles as its asset check.
{{ config(meta={'dagster': {'ref': {'name': 'imdb_titles'}}}) }}
with expected as (
    select partition_date, count(*) as titles
    from {{ ref('stg_imdb__title_basics') }}
    where
        {{ partition_window() }}
        and {{ imdb_kept_titles() }}
    group by partition_date
),

kept as (
    select partition_date, count(*) as titles, count(distinct title_key) as distinct_titles
    from {{ ref('imdb_titles') }}
    where {{ partition_window() }}
    group by partition_date
)

select e.partition_date, e.titles as expected, k.titles as kept, k.distinct_titles
from expected as e
full outer join kept as k on k.partition_date = e.partition_date
where k.titles is distinct from e.titles or k.distinct_titles is distinct from e.titles
