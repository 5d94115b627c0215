{#
  The key the title match compares (`dim_title`): one spelling for the ways sources write one name.
  Lower case, accents folded, `&` read as `and`, punctuation dropped, a leading or trailing article
  (`The Matrix`, `Matrix, The`) dropped, spaces dropped (`Spider-Man` = `Spider Man` = `Spiderman`).
  Letters of any script are kept, so a name with none of the dropped characters is compared as written;
  a name that is only punctuation has no key and is never matched. The anchored patterns have no
  backslashes, so they read the same on DuckDB and Snowflake; folding and dropping characters go through
  `fold_chars` and `remove_chars` (cross_db.sql), whose DuckDB forms skip DuckDB's slow `translate`.
  `portable=true` gives the plain `translate` form every engine runs: the reference the tests hold the
  engine's own form to.
#}
{% macro title_match_key(name, portable=false) -%}
    {%- set accented = 'àáâãäåāăąèéêëēėęìíîïīįòóôõöøōőùúûüūůűýÿçćčñńňšśžźżđłß' -%}
    {%- set plain = 'aaaaaaaaaeeeeeeeiiiiiioooooooouuuuuuuyycccnnnsszzzdls' -%}
    {%- set punctuation = "!\"#$%'()*+,-./:;<=>?@[]^_`{|}~’‘“”–—…·¡¿\\" -%}
    {%- set fold = tv_assets.snowflake__fold_chars if portable else tv_assets.fold_chars -%}
    {%- set remove = tv_assets.snowflake__remove_chars if portable else tv_assets.remove_chars -%}
    {%- set folded = fold("replace(lower(" ~ name ~ "), '&', ' and ')", accented, plain) -%}
    nullif(replace(
        regexp_replace(regexp_replace(
            trim({{ remove(folded, punctuation) }}),
            '^(the|a|an) +', ''), ' +(the|a|an)$', ''),
        ' ', ''), '')
{%- endmacro %}
