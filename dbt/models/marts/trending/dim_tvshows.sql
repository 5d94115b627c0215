-- Star schema dimension: one row per tracked show and day, as TMDB described it that day.
with genres as (
    select partition_date, tmdb_id, {{ dbt.listagg('cast(genre_id as varchar)', "','", 'order by genre_id') }} as genre_ids
    from {{ ref('stg_tmdb__show_genres') }}
    where {{ partition_window() }}
    group by partition_date, tmdb_id
),

networks as (
    select partition_date, tmdb_id, {{ dbt.listagg('cast(network_id as varchar)', "','", 'order by network_id') }} as network_ids
    from {{ ref('stg_tmdb__show_networks') }}
    where {{ partition_window() }}
    group by partition_date, tmdb_id
)

select
    d.partition_date,
    d.tmdb_id,
    d.show_name as name,
    d.original_name,
    d.original_language as language,
    d.show_status,
    d.show_type,
    d.first_air_date,
    d.imdb_id,
    t.hashtag,
    g.genre_ids,
    n.network_ids
from {{ ref('stg_tmdb__tv_details') }} as d
inner join {{ ref('tracked_shows') }} as t on t.tmdb_id = d.tmdb_id
left join genres as g on g.partition_date = d.partition_date and g.tmdb_id = d.tmdb_id
left join networks as n on n.partition_date = d.partition_date and n.tmdb_id = d.tmdb_id
where {{ partition_window('d.partition_date') }}
