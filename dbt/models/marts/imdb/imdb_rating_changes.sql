-- IMDB's ratings by change: a row only on the snapshot day a title's rating or votes changed, it was first
-- rated, or it lost its rating. Tracked from the day the title is first listed in imdb_title_changes, so
-- a range run in one go and its days run in order track the same titles.

with listed_since as (
    select title_key, min(partition_date) as first_listed
    from {{ ref('imdb_title_changes') }}
    where partition_date < cast('{{ window_bounds()[1] }}' as date)
    group by title_key
),

snapshot as (
    select r.partition_date, r.title_key, r.average_rating, r.num_votes
    from {{ ref('stg_imdb__title_ratings') }} as r
    inner join listed_since as l on l.title_key = r.title_key and l.first_listed <= r.partition_date
    where {{ partition_window('r.partition_date') }}
),

{{ snapshot_changes('snapshot', 'title_key', ['average_rating', 'num_votes']) }}
