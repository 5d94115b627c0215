{# The IMDB titles the history keeps (vars `imdb_title_types`, `imdb_include_adult`), as a filter on
   stg_imdb__title_basics columns: imdb_title_changes and imdb_snapshots' counts must agree on it. A title
   whose isAdult is neither 0 nor 1 (`is_adult` null) is never kept; imdb_snapshots counts those left out. #}
{% macro imdb_kept_titles() -%}
    {{ imdb_kept_types() }}
    {%- if var('imdb_include_adult') %} and is_adult is not null{% else %} and is_adult = false{% endif %}
{%- endmacro %}

{% macro imdb_kept_types() -%}
    title_type in ({% for t in var('imdb_title_types') %}'{{ t }}'{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}
