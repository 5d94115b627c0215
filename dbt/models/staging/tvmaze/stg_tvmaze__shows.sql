-- One row per show and partition date: the show as `/shows/:id` described it that day, or, for a show
-- that answered 404 (or `null`) there, the copy of it in that day's schedule, so its episodes keep
-- their show's name and type. `show_source` tells which.
with shows as (
    select partition_date, payload, 'shows' as show_source, _loaded_at
    from {{ source('tvmaze', 'tvmaze_shows') }}
    where {{ partition_window() }}
    union all
    select partition_date, {{ json_object('payload', 'show') }}, 'schedule', _loaded_at
    from {{ source('tvmaze', 'tvmaze_schedule') }}
    where {{ partition_window() }}
    union all
    select partition_date, {{ json_object('payload', '_embedded.show') }}, 'schedule', _loaded_at
    from {{ source('tvmaze', 'tvmaze_web_schedule') }}
    where {{ partition_window() }}
)

select
    partition_date,
    {{ json_value('payload', 'id', 'bigint') }} as show_id,
    {{ json_text('payload', 'name') }} as show_name,
    {{ json_text('payload', 'type') }} as show_type,
    {{ json_text('payload', 'language') }} as language,
    {{ json_text('payload', 'status') }} as show_status,
    {{ json_value('payload', 'runtime', 'integer') }} as runtime_minutes,
    {{ json_value('payload', 'averageRuntime', 'integer') }} as average_runtime_minutes,
    try_cast({{ json_text('payload', 'premiered') }} as date) as premiered_on,
    try_cast({{ json_text('payload', 'ended') }} as date) as ended_on,
    nullif({{ json_text('payload', 'schedule.time') }}, '') as schedule_time,
    -- decimal, not double: sums are exact, so rounded averages agree on every engine and every run
    {{ json_value('payload', 'rating.average', 'decimal(3, 1)') }} as rating_average,
    {{ json_value('payload', 'weight', 'integer') }} as weight,
    'network-' || {{ json_text('payload', 'network.id') }} as network_key,
    'web-' || {{ json_text('payload', 'webChannel.id') }} as web_channel_key,
    coalesce('network-' || {{ json_text('payload', 'network.id') }}, 'web-' || {{ json_text('payload', 'webChannel.id') }}) as primary_channel_key,
    {{ json_object('payload', 'genres') }} as genres_json,
    {{ json_array_size('payload', 'genres') }} as genre_count,
    {{ json_text('payload', 'externals.imdb') }} as imdb_id,
    {{ json_value('payload', 'externals.thetvdb', 'bigint') }} as thetvdb_id,
    {{ strip_html(json_text('payload', 'summary')) }} as summary_text,
    {{ epoch_to_utc(json_value('payload', 'updated', 'bigint')) }} as updated_at_utc,
    show_source,
    _loaded_at
from shows
-- 'shows' sorts after 'schedule': the show's own answer wins whenever there is one
qualify row_number() over (partition by partition_date, show_id order by show_source desc, _loaded_at desc) = 1
