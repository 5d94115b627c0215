-- One row per person and snapshot day. An empty profession list (it happens) is treated as unknown.
select
    partition_date,
    nconst as name_key,
    primaryname as primary_name,
    cast(birthyear as integer) as birth_year,
    cast(deathyear as integer) as death_year,
    nullif(primaryprofession, '') as primary_profession,
    nullif(knownfortitles, '') as known_for_title_keys
from {{ source('imdb', 'imdb_name_basics') }}
