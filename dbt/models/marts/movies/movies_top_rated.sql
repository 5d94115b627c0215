-- The best-rated films by MovieLens ratings, ranked by a vote-weighted score (the Bayesian average of
-- IMDb's Top 250): score = (v * R + m * C) / (v + m), where v is the film's number of ratings, R its
-- average, C the average of all ratings that day and m the var `movies_min_ratings`. A film with three
-- 5.0 ratings stays near C instead of topping the list. The var `movies_top_n` sets how many are kept.
with rated as (
    select partition_date, tmdb_id, num_ratings, sum_ratings, avg_rating
    from {{ ref('int_movies__ratings_by_film') }}
    where {{ partition_window() }}
),

overall as (
    select partition_date, sum(sum_ratings) / sum(num_ratings) as mean_rating
    from rated
    group by 1
),

scored as (
    select
        r.partition_date,
        r.tmdb_id,
        m.imdb_id,
        m.title,
        m.release_year,
        r.num_ratings,
        {{ rounded_ratio('cast(round(r.sum_ratings * 2) as bigint)', '2 * r.num_ratings', 3) }} as avg_rating,
        (r.sum_ratings + {{ var('movies_min_ratings') }} * o.mean_rating)
        / (r.num_ratings + {{ var('movies_min_ratings') }}) as weighted_score
    from rated as r
    inner join overall as o on r.partition_date = o.partition_date
    inner join {{ ref('stg_movies__metadata') }} as m on r.partition_date = m.partition_date and r.tmdb_id = m.tmdb_id
)

select
    partition_date,
    row_number() over (partition by partition_date order by weighted_score desc, num_ratings desc, tmdb_id) as rank,
    tmdb_id,
    imdb_id,
    title,
    release_year,
    num_ratings,
    avg_rating,
    round(weighted_score, 4) as weighted_score
from scored
qualify
    row_number() over (partition by partition_date order by weighted_score desc, num_ratings desc, tmdb_id)
    <= {{ var('movies_top_n') }}
