-- Episodes by channel, weekday and local hour, with the ratings of the shows in each slot.
-- Weekday and hour are the broadcaster's programming slot (`airdate` + `airtime`, channel-local):
-- a 00:35 episode belongs to the previous evening's line-up. Global web releases have no airtime,
-- so their hour is null.
with episodes as (
    select
        *,
        {{ iso_weekday('coalesce(airdate, partition_date)') }} as weekday
    from {{ ref('int_tvmaze__episodes_enriched') }}
    where {{ partition_window() }}
)

select
    partition_date,
    channel_key,
    channel_name,
    weekday,
    {{ weekday_name('weekday') }} as weekday_name,
    airtime_hour as local_hour,
    count(*) as episodes,
    count(distinct show_id) as shows,
    {{ mean_of_tenths('show_rating') }} as avg_show_rating,
    max(show_rating) as best_show_rating
from episodes
group by partition_date, channel_key, channel_name, weekday, airtime_hour
