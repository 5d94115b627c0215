{#
  The run's partition window [min_date, max_date), the only place models read it.

  Dagster passes the window in the environment (TV_ASSETS_MIN_DATE, TV_ASSETS_MAX_DATE), read only
  when models execute: dbt keeps a parse of the project for the next run only while its CLI `--vars`
  and the env vars read at parse time stay the same, so a window passed as `--vars` (new for every
  partition) made every run parse the whole project again. Outside Dagster the vars still work:
  `dbt build --vars '{"min_date": ..., "max_date": ...}'`, with defaults in dbt_project.yml.
  Both bounds must be ISO dates before they reach SQL, so a malformed value fails the run instead of
  changing its meaning.
#}
{% macro window_bounds() -%}
    {%- set bounds = [] -%}
    {%- for name in ['min_date', 'max_date'] -%}
        {%- set value = ((env_var('TV_ASSETS_' ~ name.upper(), '') if execute else '') or var(name)) | string -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) -%}
            {{ exceptions.raise_compiler_error(name ~ " (env TV_ASSETS_" ~ name.upper() ~ ", else var " ~ name ~ ") must be YYYY-MM-DD, got '" ~ value ~ "'") }}
        {%- endif -%}
        {%- do bounds.append(value) -%}
    {%- endfor -%}
    {{ return(bounds) }}
{%- endmacro %}

{# The filter every model applies: `column >= min_date and column < max_date`. #}
{% macro partition_window(column='partition_date') -%}
    {%- set bounds = window_bounds() -%}
    {{ column }} >= cast('{{ bounds[0] }}' as date) and {{ column }} < cast('{{ bounds[1] }}' as date)
{%- endmacro %}
