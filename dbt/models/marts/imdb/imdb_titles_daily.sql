-- The IMDB titles as they stood on each dump day, one row per title and day: the rows and columns
-- `imdb_titles` had before it became the current state. A view over the history, so any day's state
-- costs no storage: filter on `partition_date` for one day.
{{ config(materialized='view') }}

with ratings as (
    -- a removed rating is a version with no rating: the title was unrated from then on
    select
        title_key,
        average_rating,
        num_votes,
        partition_date as valid_from,
        lead(partition_date) over (partition by title_key order by partition_date) as valid_to
    from {{ ref('imdb_rating_changes') }}
)

select
    v.* exclude (valid_from, valid_to),
    r.average_rating,
    r.num_votes,
    s.partition_date
from {{ ref('imdb_snapshots') }} as s
inner join {{ ref('imdb_title_versions') }} as v
    on v.valid_from <= s.partition_date and (v.valid_to is null or s.partition_date < v.valid_to)
left join ratings as r
    on
        r.title_key = v.title_key
        and r.valid_from <= s.partition_date
        and (r.valid_to is null or s.partition_date < r.valid_to)
