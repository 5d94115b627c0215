-- Per TMDb film: the size of its cast and crew lists, its cast's and directors' names (Python-literal lists,
-- read by pattern). Repeated ids keep the longest cast list.
select
    partition_date,
    cast(id as bigint) as tmdb_id,
    {{ literal_count('cast_list', 'cast_id') }} as cast_size,
    {{ literal_count('crew_list', 'credit_id') }} as crew_size,
    {{ literal_names('cast_list') }} as cast_names,
    {{ literal_names('crew_list', 'name', "'job': 'Director', ") }} as directors
from {{ source('movies', 'movies_credits') }}
where {{ partition_window() }}
qualify row_number() over (partition by partition_date, cast(id as bigint) order by length(cast_list) desc, crew_list) = 1
