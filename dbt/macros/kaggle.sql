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
