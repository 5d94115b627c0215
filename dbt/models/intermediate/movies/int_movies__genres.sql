-- One row per TMDb film and genre (the metadata's genre names, split).
with films as (
    select partition_date, tmdb_id, genres
    from {{ ref('stg_movies__metadata') }}
    where {{ partition_window() }}
)

select partition_date, tmdb_id, value as genre
from ({{ exploded_list('films', ['partition_date', 'tmdb_id'], 'genres') }}) as exploded
