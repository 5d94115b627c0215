-- Directors and writers of every title and snapshot day, as IMDB's comma-separated `nconst` lists
-- (the mart splits them only for the titles it keeps: most of the 12M rows are episodes).
select
    partition_date,
    tconst as title_key,
    nullif(directors, '') as director_keys,
    nullif(writers, '') as writer_keys
from {{ source('imdb', 'imdb_title_crew') }}
