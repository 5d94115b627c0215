-- Genres by how much they are rated (MovieLens) and how well: ratings given, films rated, and the
-- average of all their ratings (a film of two genres counts in both).
with rated as (
    select partition_date, tmdb_id, num_ratings, sum_ratings
    from {{ ref('int_movies__ratings_by_film') }}
    where {{ partition_window() }}
)

select
    g.partition_date,
    g.genre,
    count(*) as num_movies,
    sum(r.num_ratings) as num_ratings,
    {{ rounded_ratio('sum(cast(round(r.sum_ratings * 2) as bigint))', '2 * sum(r.num_ratings)', 3) }} as avg_rating
from {{ ref('int_movies__genres') }} as g
inner join rated as r on g.partition_date = r.partition_date and g.tmdb_id = r.tmdb_id
where {{ partition_window('g.partition_date') }}
group by 1, 2
