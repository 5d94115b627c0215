-- Star schema dimension: one row per day with facts (weekday 1 = Monday).
with days as (
    select distinct partition_date from {{ ref('stg_tmdb__tv_details') }} where {{ partition_window() }}
    union
    select distinct partition_date from {{ ref('stg_x__tweet_counts') }} where {{ partition_window() }}
)

select
    partition_date,
    partition_date as date_day,
    {{ iso_weekday('partition_date') }} as weekday,
    {{ weekday_name(iso_weekday('partition_date')) }} as weekday_name,
    extract(day from partition_date) as day_of_month,
    extract(month from partition_date) as month,
    extract(year from partition_date) as year
from days
