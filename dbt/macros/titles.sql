{#
  The key the title match compares (`dim_title`): one spelling for the ways sources write one name.
  Lower case, accents folded, `&` read as `and`, punctuation dropped, a leading or trailing article
  (`The Matrix`, `Matrix, The`) dropped, spaces dropped (`Spider-Man` = `Spider Man` = `Spiderman`).
  Letters of any script are kept, so a name with none of the dropped characters is compared as written;
  a name that is only punctuation has no key and is never matched. Plain `translate` and anchored
  patterns without backslashes read the same on DuckDB and Snowflake.
#}
{% macro title_match_key(name) -%}
    {%- set accented = 'àáâãäåāăąèéêëēėęìíîïīįòóôõöøōőùúûüūůűýÿçćčñńňšśžźżđłß' -%}
    {%- set plain = 'aaaaaaaaaeeeeeeeiiiiiioooooooouuuuuuuyycccnnnsszzzdls' -%}
    {%- set punctuation = "!\"#$%'()*+,-./:;<=>?@[]^_`{|}~’‘“”–—…·¡¿" | replace("'", "''") -%}
    nullif(replace(
        regexp_replace(regexp_replace(
            trim(translate(translate(replace(lower({{ name }}), '&', ' and '), '{{ accented }}', '{{ plain }}'), '{{ punctuation }}' || chr(92), '')),
            '^(the|a|an) +', ''), ' +(the|a|an)$', ''),
        ' ', ''), '')
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
