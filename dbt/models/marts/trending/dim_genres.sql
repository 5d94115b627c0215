-- Star schema dimension: TMDB TV genres seen on the tracked shows that day.
select distinct partition_date, genre_id, genre_name
from {{ ref('stg_tmdb__show_genres') }}
where {{ partition_window() }}
