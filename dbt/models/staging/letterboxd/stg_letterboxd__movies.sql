-- One row per Letterboxd film with a release year, typed: years and lengths arrive as `2023.0` when
-- the file was written from pandas, ratings are empty for most films. An id listed twice is kept once.
select
    partition_date,
    cast(id as bigint) as movie_id,
    nullif(trim(name), '') as movie_name,
    {{ whole_number('date') }} as release_year,
    nullif(trim(tagline), '') as tagline,
    nullif(trim(description), '') as description,
    {{ whole_number('minute') }} as runtime_minutes,
    try_cast(nullif(trim(rating), '') as double) as average_rating
from {{ source('letterboxd', 'letterboxd_movies') }}
where {{ partition_window() }} and {{ whole_number('date') }} is not null
qualify row_number() over (partition by partition_date, cast(id as bigint) order by name, minute, rating) = 1
