-- Every title with a signal on a day of the run's window is a title of dim_title_daily that day.
{{ config(meta={'dagster': {'ref': {'name': 'title_signals_daily'}}}) }}
select s.partition_date, s.title_key
from {{ ref('title_signals_daily') }} as s
left join (
    select partition_date, title_key from {{ ref('dim_title_daily') }} where {{ partition_window() }}
) as d on d.partition_date = s.partition_date and d.title_key = s.title_key
where {{ partition_window('s.partition_date') }} and d.title_key is null
