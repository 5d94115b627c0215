{# A Letterboxd "exploded" file (one row per film and value) as a staging model: the film id, each of
   `columns` (raw name -> staging name) trimmed with blank as null, exact repeats kept once. #}
{% macro letterboxd_exploded(table, columns) -%}
select distinct
    partition_date,
    cast(id as bigint) as movie_id
    {%- for raw, name in columns.items() %},
    nullif(trim({{ raw }}), '') as {{ name }}
    {%- endfor %}
from {{ source('letterboxd', table) }}
where {{ partition_window() }}
{%- endmacro %}

{# A Kaggle text column read as a whole number: `2023.0` (written by pandas) and `2023` alike, blank null. #}
{% macro whole_number(column, type='integer') -%}
cast(try_cast(nullif(trim({{ column }}), '') as double) as {{ type }})
{%- endmacro %}

{#
  The rows of an arrival-partitioned Kaggle model from its newest drop, or no rows before the first
  drop: a title's ids do not change with the day, so every day's title graph reads the newest archive
  (Dagster shows the same dependency: the parent's last partition). `columns` maps names to types for
  the empty case.
#}
{% macro newest_drop(model, columns) -%}
    {%- set relation = ref(model) -%}
    {%- if execute and load_relation(relation) is none -%}
    select {% for name, type in columns.items() %}cast(null as {{ type }}) as {{ name }}{{ ', ' if not loop.last }}{% endfor %} where 1 = 0
    {%- else -%}
    select {{ columns.keys() | join(', ') }} from {{ relation }}
    where partition_date = (select max(partition_date) from {{ relation }})
    {%- endif -%}
{%- endmacro %}
