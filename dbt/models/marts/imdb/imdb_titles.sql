-- The IMDB titles analysts ask about as of the newest dump, one row per title: names, crew, ratings and
-- counts, with the day each was first seen and last changed. A view over the history (imdb_title_versions,
-- imdb_rating_changes), so it is always the newest state and stores nothing; imdb_titles_daily is the
-- same for every dump day.
{{ config(materialized='view') }}

with ratings as (
    select r.title_key, r.average_rating, r.num_votes, r.partition_date as rated_on
    from {{ ref('imdb_rating_changes') }} as r
    inner join (
        select title_key, max(partition_date) as newest from {{ ref('imdb_rating_changes') }} group by title_key
    ) as n on n.title_key = r.title_key and n.newest = r.partition_date
),

first_seen as (
    select title_key, min(valid_from) as first_seen_on from {{ ref('imdb_title_versions') }} group by title_key
)

select
    v.* exclude (valid_from, valid_to),
    r.average_rating,
    r.num_votes,
    f.first_seen_on,
    case when r.rated_on > v.valid_from then r.rated_on else v.valid_from end as last_changed_on,
    s.last_seen_on
from {{ ref('imdb_title_versions') }} as v
inner join first_seen as f on f.title_key = v.title_key
cross join (select max(partition_date) as last_seen_on from {{ ref('imdb_snapshots') }}) as s
left join ratings as r on r.title_key = v.title_key
where v.valid_to is null
