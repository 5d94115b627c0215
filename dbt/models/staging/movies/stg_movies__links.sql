-- MovieLens id -> IMDb and TMDb ids. The IMDb id comes without `tt` and zero-padded to 7 digits (a
-- reader that made it a number lost the zeros: they are put back); a blank TMDb id is null, and
-- `862.0` (a float from pandas) reads as 862.
select distinct
    partition_date,
    cast(movieid as bigint) as movielens_id,
    case
        when nullif(trim(imdbid), '') is null then null
        when length(trim(imdbid)) < 7 then 'tt' || lpad(trim(imdbid), 7, '0')
        else 'tt' || trim(imdbid)
    end as imdb_id,
    {{ whole_number('tmdbId', 'bigint') }} as tmdb_id
from {{ source('movies', 'movies_links') }}
where {{ partition_window() }}
