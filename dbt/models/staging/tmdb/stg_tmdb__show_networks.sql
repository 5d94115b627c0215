-- Each tracked show's networks (a streamer's `origin_country` is "": no single country).
with shows as (
    select partition_date, tmdb_id, networks_json
    from {{ ref('stg_tmdb__tv_details') }}
    where {{ partition_window() }}
)

select distinct
    s.partition_date,
    s.tmdb_id,
    {{ json_value('n.value', 'id', 'bigint') }} as network_id,
    {{ json_text('n.value', 'name') }} as network_name,
    nullif({{ json_text('n.value', 'origin_country') }}, '') as origin_country
from shows as s{{ lateral_json_objects('s.networks_json', 'n') }}
