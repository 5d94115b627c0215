{#
  History by change for a snapshot source (README, "History by change"): the body of an incremental
  model whose partition is a day's changes, not the day's whole snapshot.

  Called after the model's own CTEs, it adds its own and the final select:
  `with ..., snapshot as (...), {{ snapshot_changes('snapshot', 'id', ['name', 'year']) }}`.
  `snapshot` names a CTE of the window's snapshot rows: `partition_date`, `key` and `columns`, one row per
  key and snapshot day; `key` is a column or a list of them (a source record is `source, source_id`).
  The result has a row only where a key differs from its state at the snapshot
  before, with `change_type`:
    added    present now, not at the snapshot before (new, or back after it was removed)
    changed  present at both, and one of `columns` differs (null = null)
    removed  present at the snapshot before, gone now; `columns` are null
  The state before the window is the model's own newest row per key in partitions before `min_date`
  (unless removed), so a day's partition depends only on earlier partitions and that day's snapshot:
  re-running a day changes nothing, and a range in one run gives what its days run in order give. Inside
  the window each snapshot is compared with the one before it. A day without a snapshot is no day here:
  the next snapshot is compared with the last one there was.
#}
{% macro snapshot_changes(snapshot, key, columns) -%}
{%- set bounds = window_bounds() -%}
{%- set keys = [key] if key is string else key -%}
{%- set window = 'partition by ' ~ ('t.' ~ keys | join(', t.')) ~ ' order by t.partition_date' -%}
{#- the state before the window, all on one day before any real one -#}
{%- set before_window = "cast('1000-01-01' as date)" -%}
state_before as (
    {%- if is_incremental() %}
    select {{ before_window }} as partition_date{% for k in keys %}, h.{{ k }}{% endfor %}{% for c in columns %}, h.{{ c }}{% endfor %}
    from {{ this }} as h
    inner join (
        select {{ keys | join(', ') }}, max(partition_date) as newest
        from {{ this }}
        where partition_date < cast('{{ bounds[0] }}' as date)
        group by {{ keys | join(', ') }}
    ) as n on {% for k in keys %}n.{{ k }} = h.{{ k }} and {% endfor %}n.newest = h.partition_date
    where h.change_type <> 'removed'
    {%- else %}
    select {{ before_window }} as partition_date, {{ keys | join(', ') }}{% for c in columns %}, {{ c }}{% endfor %}
    from {{ snapshot }}
    where false
    {%- endif %}
),

timeline as (
    select * from state_before
    union all
    select partition_date, {{ keys | join(', ') }}{% for c in columns %}, {{ c }}{% endfor %} from {{ snapshot }}
),

snapshot_days as (
    select
        partition_date,
        lag(partition_date) over (order by partition_date) as day_before,
        lead(partition_date) over (order by partition_date) as day_after
    from (select distinct partition_date from timeline) as d
),

compared as (
    select
        t.*,
        d.day_before,
        d.day_after,
        lag(t.partition_date) over ({{ window }}) as seen_before,
        lead(t.partition_date) over ({{ window }}) as seen_after
        {%- for c in columns %},
        lag(t.{{ c }}) over ({{ window }}) as {{ c }}__before
        {%- endfor %}
    from timeline as t
    inner join snapshot_days as d on d.partition_date = t.partition_date
)

select
    partition_date,
    {{ keys | join(', ') }}
    {%- for c in columns %},
    {{ c }}
    {%- endfor %},
    case when seen_before is null or seen_before <> day_before then 'added' else 'changed' end as change_type
from compared
where
    partition_date > {{ before_window }}
    and (
        seen_before is null or seen_before <> day_before
        {%- for c in columns %}
        or {{ c }} is distinct from {{ c }}__before
        {%- endfor %}
    )
union all
select
    day_after,
    {{ keys | join(', ') }}
    {%- for c in columns %},
    null
    {%- endfor %},
    'removed'
from compared
where day_after is not null and (seen_after is null or seen_after <> day_after)
{%- endmacro %}
