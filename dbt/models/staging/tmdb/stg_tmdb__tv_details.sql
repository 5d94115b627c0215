-- One row per tracked show and day: TMDB's details as of that day. Popularity and votes are exact
-- decimals, so day-over-day differences are the same on every engine.
with details as (
    select partition_date, payload, _loaded_at
    from {{ source('tmdb', 'tmdb_tv_details') }}
    where {{ partition_window() }}
)

select
    partition_date,
    {{ json_value('payload', 'id', 'bigint') }} as tmdb_id,
    {{ json_text('payload', 'name') }} as show_name,
    {{ json_text('payload', 'original_name') }} as original_name,
    {{ json_text('payload', 'original_language') }} as original_language,
    {{ json_text('payload', 'status') }} as show_status,
    {{ json_text('payload', 'type') }} as show_type,
    -- unknown dates come as "" or not at all
    try_cast(nullif({{ json_text('payload', 'first_air_date') }}, '') as date) as first_air_date,
    {{ json_value('payload', 'number_of_seasons', 'integer') }} as seasons,
    {{ json_value('payload', 'number_of_episodes', 'integer') }} as episodes,
    {{ json_value('payload', 'vote_count', 'bigint') }} as vote_count,
    -- 0 with no votes: TMDB's placeholder, not a rating
    case
        when {{ json_value('payload', 'vote_count', 'bigint') }} > 0
            then {{ json_value('payload', 'vote_average', 'decimal(6, 3)') }}
    end as vote_average,
    {{ json_value('payload', 'popularity', 'decimal(14, 3)') }} as popularity,
    nullif({{ json_text('payload', 'external_ids.imdb_id') }}, '') as imdb_id,
    {{ json_value('payload', 'external_ids.tvdb_id', 'bigint') }} as tvdb_id,
    {{ json_object('payload', 'genres') }} as genres_json,
    {{ json_object('payload', 'networks') }} as networks_json,
    _loaded_at
from details
qualify row_number() over (partition by partition_date, {{ json_value('payload', 'id', 'bigint') }} order by _loaded_at desc) = 1
