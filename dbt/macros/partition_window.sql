{#
  The partition window filter every model applies: `column >= min_date and column < max_date`.
  The vars come from Dagster's partition window; they are checked to be ISO dates before they
  reach SQL, so a malformed value fails the run instead of changing its meaning.
#}
{% macro partition_window(column='partition_date') -%}
    {%- set bounds = [] -%}
    {%- for name in ['min_date', 'max_date'] -%}
        {%- set value = var(name) | string -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) -%}
            {{ exceptions.raise_compiler_error("var " ~ name ~ " must be YYYY-MM-DD, got '" ~ value ~ "'") }}
        {%- endif -%}
        {%- do bounds.append(value) -%}
    {%- endfor -%}
    {{ column }} >= cast('{{ bounds[0] }}' as date) and {{ column }} < cast('{{ bounds[1] }}' as date)
{%- endmacro %}
