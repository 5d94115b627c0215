-- Star schema fact: one row per tracked show and day, TMDB's numbers as recorded that day.
select
    d.partition_date,
    d.tmdb_id,
    d.seasons,
    d.episodes,
    d.vote_count,
    d.vote_average,
    d.popularity
from {{ ref('stg_tmdb__tv_details') }} as d
inner join {{ ref('tracked_shows') }} as t on t.tmdb_id = d.tmdb_id
where {{ partition_window('d.partition_date') }}
