-- Show genres exploded to one row per show and genre: trimmed, blanks dropped, duplicates removed.
with shows as (
    select partition_date, show_id, genres_json
    from {{ ref('stg_tvmaze__shows') }}
    where {{ partition_window() }} and genre_count > 0
),

exploded as (
    select s.partition_date, s.show_id, trim({{ lateral_value('g') }}) as genre
    from shows as s{{ lateral_json_strings('s.genres_json', 'g') }}
)

select distinct partition_date, show_id, genre
from exploded
where genre <> ''
