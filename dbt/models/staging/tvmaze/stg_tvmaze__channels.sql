-- Networks and web channels as seen on the day's shows. The two are separate id spaces in TVMaze
-- (network 1 is NBC, web channel 1 is Netflix), hence `channel_key` = kind + id.
with shows as (
    select partition_date, payload
    from {{ source('tvmaze', 'tvmaze_shows') }}
    where {{ partition_window() }}
),

channels as (
    select partition_date, 'network' as channel_kind, {{ json_object('payload', 'network') }} as channel
    from shows
    where {{ json_text('payload', 'network.id') }} is not null
    union all
    select partition_date, 'web', {{ json_object('payload', 'webChannel') }}
    from shows
    where {{ json_text('payload', 'webChannel.id') }} is not null
)

select
    partition_date,
    channel_kind || '-' || {{ json_text('channel', 'id') }} as channel_key,
    channel_kind,
    {{ json_value('channel', 'id', 'bigint') }} as channel_id,
    {{ json_text('channel', 'name') }} as channel_name,
    {{ json_text('channel', 'country.code') }} as country_code,
    {{ json_text('channel', 'country.name') }} as country_name,
    {{ json_text('channel', 'country.timezone') }} as timezone,
    {{ json_text('channel', 'officialSite') }} as official_site,
    -- TVMaze gives a channel a country only when it serves one country alone
    {{ json_text('channel', 'country.code') }} is null as is_global
from channels
qualify row_number() over (partition by partition_date, channel_kind, {{ json_text('channel', 'id') }} order by {{ json_text('channel', 'name') }}) = 1
