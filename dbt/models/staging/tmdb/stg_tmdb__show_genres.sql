-- Each tracked show's TMDB genres, one row per show, day and genre.
with shows as (
    select partition_date, tmdb_id, genres_json
    from {{ ref('stg_tmdb__tv_details') }}
    where {{ partition_window() }}
)

select distinct
    s.partition_date,
    s.tmdb_id,
    {{ json_value('g.value', 'id', 'bigint') }} as genre_id,
    {{ json_text('g.value', 'name') }} as genre_name
from shows as s{{ lateral_json_objects('s.genres_json', 'g') }}
