-- One row per person and snapshot day. An empty profession list (it happens) is treated as unknown.
select
    partition_date,
    nconst as name_key,
    primaryName as primary_name,
    cast(birthYear as integer) as birth_year,
    cast(deathYear as integer) as death_year,
    nullif(primaryProfession, '') as primary_profession,
    nullif(knownForTitles, '') as known_for_title_keys
from {{ source('imdb', 'imdb_name_basics') }}
