-- Star schema dimension: networks and streamers of the tracked shows that day, with origin country
-- (null for a streamer with no single country).
select partition_date, network_id, min(network_name) as network_name, min(origin_country) as origin_country
from {{ ref('stg_tmdb__show_networks') }}
where {{ partition_window() }}
group by partition_date, network_id
