{# The IMDB titles `imdb_titles` keeps (vars `imdb_title_types`, `imdb_include_adult`), as a filter on
   stg_imdb__title_basics columns: the mart and its count check must agree on it. #}
{% macro imdb_kept_titles() -%}
    title_type in ({% for t in var('imdb_title_types') %}'{{ t }}'{{ ', ' if not loop.last }}{% endfor %})
    {%- if not var('imdb_include_adult') %} and not is_adult{% endif %}
{%- endmacro %}
