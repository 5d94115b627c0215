-- Per TMDb film: its keywords, comma-separated (exact repeated rows of the file kept once).
select distinct
    partition_date,
    cast(id as bigint) as tmdb_id,
    {{ literal_names('keywords') }} as keywords
from {{ source('movies', 'movies_keywords') }}
where {{ partition_window() }}
