-- The day's `/tv/popular` and `/trending/tv/day` lists, one row per list and show, at TMDB's own place:
-- (page - 1) * page size + its index in the page's results. TMDB orders trending by its own trend score,
-- not by the popularity figure, so the place is never recomputed from popularity. The live sort can
-- repeat a show across pages: its first place is kept.
with pages as (
    select partition_date, 'popular' as list_name, payload from {{ source('tmdb', 'tmdb_popular') }} where {{ partition_window() }}
    union all
    select partition_date, 'trending', payload from {{ source('tmdb', 'tmdb_trending') }} where {{ partition_window() }}
),

entries as (
    select
        p.partition_date,
        p.list_name,
        {{ json_value('p.payload', 'page', 'integer') }} as page,
        {{ lateral_position('r') }} as index_in_page,
        {{ json_value('r.value', 'id', 'bigint') }} as tmdb_id,
        {{ json_text('r.value', 'name') }} as show_name,
        {{ json_value('r.value', 'popularity', 'decimal(14, 3)') }} as popularity
    from pages as p{{ lateral_json_objects(json_object('p.payload', 'results'), 'r') }}
)

select
    partition_date,
    list_name,
    tmdb_id,
    show_name,
    popularity,
    (page - 1) * {{ var('tmdb_page_size') }} + index_in_page as list_position
from entries
qualify row_number() over (partition by partition_date, list_name, tmdb_id order by page, index_in_page) = 1
