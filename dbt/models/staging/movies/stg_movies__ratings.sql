-- One row per MovieLens rating (26M in the full file): MovieLens ids, not TMDb's (see stg_movies__links).
select
    partition_date,
    cast(userid as bigint) as user_id,
    cast(movieid as bigint) as movielens_id,
    cast(rating as double) as rating,
    {{ epoch_to_utc('cast(timestamp as bigint)') }} as rated_at
from {{ source('movies', 'movies_ratings') }}
where {{ partition_window() }}
