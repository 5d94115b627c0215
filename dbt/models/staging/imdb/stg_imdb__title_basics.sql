-- One row per title and snapshot day, typed. A view: the mart reads it once per run, for its window.
select
    partition_date,
    tconst as title_key,
    titletype as title_type,
    primarytitle as primary_title,
    originaltitle as original_title,
    -- 0 or 1; anything else (a year where a shifted row put one) is null, and no mart keeps the title
    case isadult when '0' then false when '1' then true end as is_adult,
    cast(startyear as integer) as start_year,
    cast(endyear as integer) as end_year,
    cast(runtimeminutes as integer) as runtime_minutes,
    nullif(genres, '') as genres
from {{ source('imdb', 'imdb_title_basics') }}
