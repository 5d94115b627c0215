-- One row per version of an IMDB title: what it was from `valid_from` until `valid_to` (exclusive; null
-- while it is current). A title removed from the dump (or no longer of a kept type) ends its version
-- there; if it comes back, a new version starts. A view over imdb_title_changes: nothing stored twice.
{{ config(materialized='view') }}

select
    title_key,
    primary_title,
    original_title,
    title_type,
    directors,
    writers,
    genres,
    num_directors > 0 as has_directors,
    num_writers > 0 as has_writers,
    end_year is not null as has_ended,
    case when genres is null then 0 else length(genres) - length(replace(genres, ',', '')) + 1 end as num_of_genres,
    release_year,
    end_year,
    runtime_minutes,
    num_directors,
    num_writers,
    valid_from,
    valid_to
from (
    select
        *,
        partition_date as valid_from,
        lead(partition_date) over (partition by title_key order by partition_date) as valid_to
    from {{ ref('imdb_title_changes') }}
) as c
where change_type <> 'removed'
