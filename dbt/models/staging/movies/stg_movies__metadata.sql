-- One row per TMDb film with a release year, typed. Zero budgets and revenues mean "unknown" (80% of
-- the file) and become null; nested lists are Python literals, read by `literal_names`. An id listed
-- more than once (identical or conflicting copies) keeps the copy with the most votes, then popularity.
select
    partition_date,
    cast(id as bigint) as tmdb_id,
    nullif(trim(imdb_id), '') as imdb_id,
    nullif(trim(title), '') as title,
    nullif(trim(original_title), '') as original_title,
    nullif(trim(original_language), '') as original_language,
    try_cast(nullif(trim(release_date), '') as date) as release_date,
    extract(year from try_cast(nullif(trim(release_date), '') as date)) as release_year,
    nullif({{ whole_number('budget', 'bigint') }}, 0) as budget_usd,
    nullif({{ whole_number('revenue', 'bigint') }}, 0) as revenue_usd,
    nullif({{ whole_number('runtime') }}, 0) as runtime_minutes,
    try_cast(nullif(trim(popularity), '') as double) as popularity,
    -- 0 with no votes is TMDb's placeholder for "no votes", not a rating (as in stg_tmdb__tv_details)
    case when {{ whole_number('vote_count') }} > 0 then try_cast(nullif(trim(vote_average), '') as double) end as tmdb_vote_average,
    {{ whole_number('vote_count') }} as tmdb_vote_count,
    lower(trim(adult)) = 'true' as is_adult,
    nullif(trim(status), '') as status,
    {{ literal_names('genres') }} as genres,
    {{ literal_names('production_companies') }} as production_companies,
    {{ literal_names('production_countries') }} as production_countries,
    {{ literal_names('spoken_languages') }} as spoken_languages
from {{ source('movies', 'movies_metadata') }}
where {{ partition_window() }} and try_cast(nullif(trim(release_date), '') as date) is not null
qualify row_number() over (
    partition by partition_date, cast(id as bigint)
    order by try_cast(vote_count as double) desc nulls last, try_cast(popularity as double) desc nulls last, title
) = 1
