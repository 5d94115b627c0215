-- One row per rated title and snapshot day; a title with no row here is unrated.
select
    partition_date,
    tconst as title_key,
    cast(averagerating as decimal(3, 1)) as average_rating,
    cast(numvotes as bigint) as num_votes
from {{ source('imdb', 'imdb_title_ratings') }}
