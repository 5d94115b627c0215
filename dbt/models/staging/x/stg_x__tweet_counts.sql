-- One row per tracked show, day and query kind: the posts X counted, summed over the answer's
-- buckets (bucket edges are not trusted to align with the day).
with answers as (
    select partition_date, payload
    from {{ source('x', 'x_tweet_counts') }}
    where {{ partition_window() }}
)

select
    a.partition_date,
    {{ json_value('a.payload', 'tmdb_id', 'bigint') }} as tmdb_id,
    {{ json_text('a.payload', 'query_kind') }} as query_kind,
    {{ json_text('a.payload', 'query') }} as query,
    sum({{ json_value('b.value', 'tweet_count', 'bigint') }}) as tweet_count
from answers as a{{ lateral_json_objects(json_object('a.payload', 'response.data'), 'b') }}
group by 1, 2, 3, 4
