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
