-- One row per IMDB dump day: how many titles it held, how many the kept types list and how many the
-- documented rule leaves out, and what changed that day. The newest row is how fresh `imdb_titles` is.

with dump as (
    select
        partition_date,
        count(*) as titles_in_dump,
        count(case when {{ imdb_kept_titles() }} then 1 end) as titles_listed,
        count(case when {{ imdb_kept_types() }} and is_adult{{ ' and false' if var('imdb_include_adult') }} then 1 end)
            as titles_left_out_adult,
        count(case when {{ imdb_kept_types() }} and is_adult is null then 1 end) as titles_left_out_is_adult_not_0_or_1
    from {{ ref('stg_imdb__title_basics') }}
    where {{ partition_window() }}
    group by partition_date
),

title_changes as (
    select
        partition_date,
        count(case when change_type = 'added' then 1 end) as titles_added,
        count(case when change_type = 'changed' then 1 end) as titles_changed,
        count(case when change_type = 'removed' then 1 end) as titles_removed
    from {{ ref('imdb_title_changes') }}
    where {{ partition_window() }}
    group by partition_date
),

rating_changes as (
    select partition_date, count(*) as rating_changes
    from {{ ref('imdb_rating_changes') }}
    where {{ partition_window() }}
    group by partition_date
)

select
    d.partition_date,
    d.titles_in_dump,
    d.titles_listed,
    d.titles_left_out_adult,
    d.titles_left_out_is_adult_not_0_or_1,
    coalesce(t.titles_added, 0) as titles_added,
    coalesce(t.titles_changed, 0) as titles_changed,
    coalesce(t.titles_removed, 0) as titles_removed,
    coalesce(r.rating_changes, 0) as rating_changes
from dump as d
left join title_changes as t on t.partition_date = d.partition_date
left join rating_changes as r on r.partition_date = d.partition_date
