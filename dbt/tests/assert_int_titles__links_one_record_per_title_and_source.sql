-- The links as of each day of the run's window (int_titles__links, a view over their changes): a record
-- once, and a title holding at most one record of each source, as the conflict rule decides.
{{ config(meta={'dagster': {'ref': {'name': 'int_titles__links'}}}) }}
with links as (
    select * from {{ ref('int_titles__links') }} where {{ partition_window() }}
)

select partition_date, 'record more than once' as broken, source || ':' || source_id as example
from links
group by partition_date, source, source_id
having count(*) > 1
union all
select partition_date, 'title with two records of one source', title_key || ' ' || source
from links
group by partition_date, title_key, source
having count(*) > 1
