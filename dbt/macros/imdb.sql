{# The IMDB titles `imdb_titles` keeps (vars `imdb_title_types`, `imdb_include_adult`), as a filter on
   stg_imdb__title_basics columns: the mart and its count check must agree on it. A title whose isAdult
   is neither 0 nor 1 (`is_adult` null) is never kept; the mart's metadata counts those left out. #}
{% macro imdb_kept_titles() -%}
    title_type in ({% for t in var('imdb_title_types') %}'{{ t }}'{{ ', ' if not loop.last }}{% endfor %})
    {%- if var('imdb_include_adult') %} and is_adult is not null{% else %} and is_adult = false{% endif %}
{%- endmacro %}
