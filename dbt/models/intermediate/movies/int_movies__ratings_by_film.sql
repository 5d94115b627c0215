-- MovieLens ratings per TMDb film. Ratings carry MovieLens ids, so they reach TMDb's only through
-- links (a direct join on the numbers would match thousands of films by coincidence); two MovieLens
-- ids of one film add up.
with ratings as (
    select partition_date, movielens_id, rating
    from {{ ref('stg_movies__ratings') }}
    where {{ partition_window() }}
),

links as (
    select partition_date, movielens_id, tmdb_id
    from {{ ref('stg_movies__links') }}
    where {{ partition_window() }} and tmdb_id is not null
)

select
    r.partition_date,
    l.tmdb_id,
    count(*) as num_ratings,
    sum(r.rating) as sum_ratings,
    avg(r.rating) as avg_rating
from ratings as r
inner join links as l on r.partition_date = l.partition_date and r.movielens_id = l.movielens_id
group by 1, 2
