-- Per network or web channel and day: shows, episodes, average show rating and episode runtime.
with per_show as (
    select
        partition_date, channel_key, channel_name, channel_kind, country_code, show_id, show_rating,
        count(*) as episodes,
        sum(runtime_minutes) as runtime_total,
        count(runtime_minutes) as runtime_known
    from {{ ref('int_tvmaze__episodes_enriched') }}
    where {{ partition_window() }}
    group by partition_date, channel_key, channel_name, channel_kind, country_code, show_id, show_rating
)

select
    partition_date,
    channel_key,
    channel_name,
    channel_kind,
    country_code,
    count(*) as shows,
    count(show_rating) as rated_shows,
    sum(episodes) as episodes,
    {{ mean_of_tenths('show_rating') }} as avg_show_rating,
    {{ rounded_ratio('sum(runtime_total)', 'sum(runtime_known)', 1) }} as avg_runtime_minutes
from per_show
group by partition_date, channel_key, channel_name, channel_kind, country_code
