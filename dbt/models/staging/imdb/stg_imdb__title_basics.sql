-- One row per title and snapshot day, typed. A view: the mart reads it once per run, for its window.
select
    partition_date,
    tconst as title_key,
    titleType as title_type,
    primaryTitle as primary_title,
    originalTitle as original_title,
    cast(isAdult as integer) = 1 as is_adult,
    cast(startYear as integer) as start_year,
    cast(endYear as integer) as end_year,
    cast(runtimeMinutes as integer) as runtime_minutes,
    nullif(genres, '') as genres
from {{ source('imdb', 'imdb_title_basics') }}
