-- One row per film, country and release, the date typed.
select distinct
    partition_date,
    cast(id as bigint) as movie_id,
    nullif(trim(country), '') as country,
    try_cast(nullif(trim(date), '') as date) as release_date,
    nullif(trim(type), '') as release_type,
    nullif(trim(rating), '') as age_rating
from {{ source('letterboxd', 'letterboxd_releases') }}
where {{ partition_window() }}
