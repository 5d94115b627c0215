-- The history gives back every dump: for each dump day of the run, the titles imdb_titles_daily lists
-- that day are exactly as many as the dump's titles of the kept types (counted by imdb_snapshots from
-- the staged dump itself), each once. Attached to imdb_title_changes as its asset check.
{{ config(meta={'dagster': {'ref': {'name': 'imdb_title_changes'}}}) }}
with expected as (
    select partition_date, titles_listed from {{ ref('imdb_snapshots') }} where {{ partition_window() }}
),

listed as (
    select partition_date, count(*) as titles, count(distinct title_key) as distinct_titles
    from {{ ref('imdb_titles_daily') }}
    where {{ partition_window() }}
    group by partition_date
)

select e.partition_date, e.titles_listed as expected, l.titles as listed, l.distinct_titles
from expected as e
full outer join listed as l on l.partition_date = e.partition_date
where l.titles is distinct from e.titles_listed or l.distinct_titles is distinct from e.titles_listed
