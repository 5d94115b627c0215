-- One row per title and snapshot day, typed. A view: the mart reads it once per run, for its window.
select
    partition_date,
    tconst as title_key,
    titleType as title_type,
    primaryTitle as primary_title,
    originalTitle as original_title,
    -- 0 or 1; anything else (a year where a shifted row put one) is null, and no mart keeps the title
    case isAdult when '0' then false when '1' then true end as is_adult,
    cast(startYear as integer) as start_year,
    cast(endYear as integer) as end_year,
    cast(runtimeMinutes as integer) as runtime_minutes,
    nullif(genres, '') as genres
from {{ source('imdb', 'imdb_title_basics') }}
