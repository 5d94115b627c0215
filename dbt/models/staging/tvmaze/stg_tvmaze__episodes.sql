-- One row per episode scheduled on a partition date, from both schedules. An episode of a local web
-- channel appears in both; the /schedule row wins ('schedule' sorts before 'web_schedule').
with scheduled as (
    select partition_date, 'schedule' as schedule_source, payload, {{ json_object('payload', 'show') }} as show_payload, _loaded_at
    from {{ source('tvmaze', 'tvmaze_schedule') }}
    where {{ partition_window() }}
    union all
    select partition_date, 'web_schedule', payload, {{ json_object('payload', '_embedded.show') }}, _loaded_at
    from {{ source('tvmaze', 'tvmaze_web_schedule') }}
    where {{ partition_window() }}
),

typed as (
    select
        partition_date,
        {{ json_value('payload', 'id', 'bigint') }} as episode_id,
        {{ json_value('show_payload', 'id', 'bigint') }} as show_id,
        schedule_source,
        'network-' || {{ json_text('show_payload', 'network.id') }} as network_key,
        'web-' || {{ json_text('show_payload', 'webChannel.id') }} as web_channel_key,
        {{ json_text('payload', 'name') }} as episode_name,
        {{ json_value('payload', 'season', 'integer') }} as season,
        {{ json_value('payload', 'number', 'integer') }} as episode_number,
        {{ json_text('payload', 'type') }} as episode_type,
        try_cast(nullif({{ json_text('payload', 'airdate') }}, '') as date) as airdate,
        nullif({{ json_text('payload', 'airtime') }}, '') as airtime,
        {{ utc_timestamp(json_text('payload', 'airstamp')) }} as airstamp_utc,
        {{ json_value('payload', 'runtime', 'integer') }} as runtime_minutes,
        {{ json_value('payload', 'rating.average', 'decimal(3, 1)') }} as episode_rating,
        {{ strip_html(json_text('payload', 'summary')) }} as summary_text,
        _loaded_at
    from scheduled
)

select
    partition_date,
    episode_id,
    show_id,
    schedule_source,
    -- /schedule lists an episode under its network (or local web channel), /schedule/web under its web channel
    case
        when schedule_source = 'schedule' then coalesce(network_key, web_channel_key)
        else coalesce(web_channel_key, network_key)
    end as channel_key,
    episode_name,
    season,
    episode_number,
    episode_type,
    episode_type <> 'regular' as is_special,
    airdate,
    airtime,
    cast(split_part(airtime, ':', 1) as integer) as airtime_hour,
    airstamp_utc,
    runtime_minutes,
    episode_rating,
    summary_text,
    _loaded_at
from typed
qualify row_number() over (partition by partition_date, episode_id order by schedule_source) = 1
