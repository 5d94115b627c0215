{#
  Where DuckDB and Snowflake SQL differ, models call these macros, never engine-specific SQL.
  `default__` is the DuckDB form; the `snowflake__` forms follow at the end of the file.
  Paths are dotted JSON paths: 'show.network.id'.
#}

{% macro json_text(column, path) -%}{{ return(adapter.dispatch('json_text', 'tv_assets')(column, path)) }}{%- endmacro %}
{% macro default__json_text(column, path) -%}json_extract_string({{ column }}, '$.{{ path }}'){%- endmacro %}

{% macro json_value(column, path, type) -%}{{ return(adapter.dispatch('json_value', 'tv_assets')(column, path, type)) }}{%- endmacro %}
{% macro default__json_value(column, path, type) -%}try_cast(json_extract_string({{ column }}, '$.{{ path }}') as {{ type }}){%- endmacro %}

{% macro json_object(column, path) -%}{{ return(adapter.dispatch('json_object', 'tv_assets')(column, path)) }}{%- endmacro %}
{% macro default__json_object(column, path) -%}json_extract({{ column }}, '$.{{ path }}'){%- endmacro %}

{% macro json_array_size(column, path) -%}{{ return(adapter.dispatch('json_array_size', 'tv_assets')(column, path)) }}{%- endmacro %}
{% macro default__json_array_size(column, path) -%}coalesce(json_array_length({{ column }}, '$.{{ path }}'), 0){%- endmacro %}

{# ISO 8601 text with an offset -> timestamp without time zone, in UTC. #}
{% macro utc_timestamp(text) -%}{{ return(adapter.dispatch('utc_timestamp', 'tv_assets')(text)) }}{%- endmacro %}
{% macro default__utc_timestamp(text) -%}timezone('UTC', try_cast({{ text }} as timestamptz)){%- endmacro %}

{% macro epoch_to_utc(seconds) -%}{{ return(adapter.dispatch('epoch_to_utc', 'tv_assets')(seconds)) }}{%- endmacro %}
{% macro default__epoch_to_utc(seconds) -%}timezone('UTC', to_timestamp({{ seconds }})){%- endmacro %}

{# 1 = Monday ... 7 = Sunday #}
{% macro iso_weekday(day) -%}{{ return(adapter.dispatch('iso_weekday', 'tv_assets')(day)) }}{%- endmacro %}
{% macro default__iso_weekday(day) -%}isodow({{ day }}){%- endmacro %}

{# A lateral join over a JSON array of strings: `from t {{ lateral_json_strings('t.col', 'g') }}`,
   then `{{ lateral_value('g') }}` is each element as text. #}
{% macro lateral_json_strings(column, alias) -%}{{ return(adapter.dispatch('lateral_json_strings', 'tv_assets')(column, alias)) }}{%- endmacro %}
{% macro default__lateral_json_strings(column, alias) -%}, unnest(cast(from_json({{ column }}, '["VARCHAR"]') as varchar[])) as {{ alias }}(value){%- endmacro %}
{% macro lateral_value(alias) -%}{{ return(adapter.dispatch('lateral_value', 'tv_assets')(alias)) }}{%- endmacro %}
{% macro default__lateral_value(alias) -%}{{ alias }}.value{%- endmacro %}

{# HTML summary -> plain text: tags removed, the common entities decoded, blank -> null. #}
{% macro strip_html(text) -%}
nullif(trim(
    replace(replace(replace(replace(replace(replace(replace(
        {{ remove_matches(text, '<[^>]*>') }},
        '&amp;', '&'), '&quot;', '"'), '&#39;', ''''), '&lt;', '<'), '&gt;', '>'), '&mdash;', '—'), '&nbsp;', ' ')
), '')
{%- endmacro %}

{# Every match of a regular expression removed (DuckDB replaces only the first without 'g'). #}
{% macro remove_matches(text, pattern) -%}{{ return(adapter.dispatch('remove_matches', 'tv_assets')(text, pattern)) }}{%- endmacro %}
{% macro default__remove_matches(text, pattern) -%}regexp_replace({{ text }}, '{{ pattern }}', '', 'g'){%- endmacro %}

{# Each character of `chars` in `text` replaced by the one at its place in `to` (as long as `chars`).
   DuckDB's `translate` costs about a second per million names whatever they hold: there it runs only
   on values that hold one of `chars` (a regular expression finds those about twenty times faster). #}
{% macro fold_chars(text, chars, to) -%}{{ return(adapter.dispatch('fold_chars', 'tv_assets')(text, chars, to)) }}{%- endmacro %}
{% macro default__fold_chars(text, chars, to) -%}
case when regexp_matches({{ text }}, '{{ char_class(chars) }}') then translate({{ text }}, '{{ chars | replace("'", "''") }}', '{{ to | replace("'", "''") }}') else {{ text }} end
{%- endmacro %}

{# Every character of `chars` dropped from `text` (a backslash among them too). #}
{% macro remove_chars(text, chars) -%}{{ return(adapter.dispatch('remove_chars', 'tv_assets')(text, chars)) }}{%- endmacro %}
{% macro default__remove_chars(text, chars) -%}{{ remove_matches(text, char_class(chars)) }}{%- endmacro %}

{# A DuckDB (RE2) character class of `chars`, quoted for a DuckDB literal, whose backslash is literal. #}
{% macro char_class(chars) -%}
[{% for c in chars %}{{ ('\\' ~ c if c in '\\[]^-' else c) | replace("'", "''") }}{% endfor %}]
{%- endmacro %}

{# ---- Snowflake: raw payloads are VARIANT; paths go through get_path, text through ::varchar. ---- #}
{% macro snowflake__json_text(column, path) -%}get_path({{ column }}, '{{ path }}')::varchar{%- endmacro %}
{% macro snowflake__json_value(column, path, type) -%}try_cast(get_path({{ column }}, '{{ path }}')::varchar as {{ type }}){%- endmacro %}
{% macro snowflake__json_object(column, path) -%}get_path({{ column }}, '{{ path }}'){%- endmacro %}
{% macro snowflake__json_array_size(column, path) -%}coalesce(array_size(get_path({{ column }}, '{{ path }}')), 0){%- endmacro %}
{% macro snowflake__utc_timestamp(text) -%}convert_timezone('UTC', try_cast({{ text }} as timestamp_tz))::timestamp_ntz{%- endmacro %}
{% macro snowflake__epoch_to_utc(seconds) -%}to_timestamp_ntz({{ seconds }}){%- endmacro %}
{% macro snowflake__iso_weekday(day) -%}dayofweekiso({{ day }}){%- endmacro %}
{% macro snowflake__lateral_json_strings(column, alias) -%}, lateral flatten(input => {{ column }}) as {{ alias }}{%- endmacro %}
{% macro snowflake__lateral_value(alias) -%}{{ alias }}.value::varchar{%- endmacro %}
{% macro snowflake__fold_chars(text, chars, to) -%}translate({{ text }}, '{{ chars | replace("'", "''") }}', '{{ to | replace("'", "''") }}'){%- endmacro %}
{# A backslash in a Snowflake literal starts an escape: it goes in as chr(92). #}
{% macro snowflake__remove_chars(text, chars) -%}
translate({{ text }}, '{{ chars | replace("\\", "") | replace("'", "''") }}'{{ ' || chr(92)' if '\\' in chars }}, '')
{%- endmacro %}
{% macro snowflake__remove_matches(text, pattern) -%}regexp_replace({{ text }}, '{{ pattern }}', ''){%- endmacro %}

{# A lateral join over a JSON array of objects: `from t {{ lateral_json_objects('t.col', 'g') }}`, then
   `json_text('g.value', 'id')` reads each element's keys on either engine, and `lateral_position('g')`
   is the element's place in the array, from 1. #}
{% macro lateral_json_objects(column, alias) -%}{{ return(adapter.dispatch('lateral_json_objects', 'tv_assets')(column, alias)) }}{%- endmacro %}
{% macro default__lateral_json_objects(column, alias) -%}, unnest(cast({{ column }} as json[])) with ordinality as {{ alias }}(value, position){%- endmacro %}
{% macro snowflake__lateral_json_objects(column, alias) -%}, lateral flatten(input => {{ column }}) as {{ alias }}{%- endmacro %}
{% macro lateral_position(alias) -%}{{ return(adapter.dispatch('lateral_position', 'tv_assets')(alias)) }}{%- endmacro %}
{% macro default__lateral_position(alias) -%}{{ alias }}.position{%- endmacro %}
{% macro snowflake__lateral_position(alias) -%}({{ alias }}.index + 1){%- endmacro %}

{# One row per element of a comma-separated list column, with its place in the list (from 1):
   `{{ exploded_list('crew', ['title_key'], 'director_keys') }}` selects the keys, `value`, `position`.
   DuckDB unnests in the select list: a lateral unnest would be decorrelated into a join on the list. #}
{% macro exploded_list(relation, keys, column) -%}{{ return(adapter.dispatch('exploded_list', 'tv_assets')(relation, keys, column)) }}{%- endmacro %}
{% macro default__exploded_list(relation, keys, column) -%}
    select {{ keys | join(', ') }}, unnest(string_split({{ column }}, ',')) as value,
        generate_subscripts(string_split({{ column }}, ','), 1) as position
    from {{ relation }}
    where {{ column }} is not null
{%- endmacro %}
{% macro snowflake__exploded_list(relation, keys, column) -%}
    select {% for k in keys %}r.{{ k }}, {% endfor %}f.value::varchar as value, f.index + 1 as position
    from {{ relation }} as r, lateral flatten(input => split(r.{{ column }}, ',')) as f
    where r.{{ column }} is not null
{%- endmacro %}

{# The non-null values of `expr` at `position` 1..n joined by "," (IMDB's own list separator, no space) in
   position order, or null: an aggregate. Plain SQL on purpose: one `max` per place (DuckDB's ordered
   aggregates sort every group), and the same text on every engine (each value is prefixed by ",", then
   the first prefix is cut). #}
{% macro first_in_order(expr, position, n) -%}
    nullif(substr(
        {%- for i in range(1, n + 1) %}
        coalesce(',' || max(case when {{ position }} = {{ i }} then {{ expr }} end), ''){{ ' ||' if not loop.last }}
        {%- endfor %}, 2), '')
{%- endmacro %}

{# The `key` values of a Python-literal list of dicts (The Movies Dataset's nested columns, written by
   `repr`), joined by commas in list order, or null for `[]`. `repr` single-quotes a string unless it holds
   an apostrophe and no double quote (`"director's cut"`); one holding both is single-quoted with `\'`
   escapes (`'say "it\'s"'`). Each quoted value is matched whole, its outer quotes cut, and `\'`, `\"`
   and `\\` read back. `after`: text the key must follow (`'job': 'Director', ` picks directors' names).
   Snowflake reads backslashes in string literals as escapes, DuckDB does not: `b` is one backslash as
   each engine's literals spell it. #}
{% macro literal_names(column, key='name', after='') -%}{{ return(adapter.dispatch('literal_names', 'tv_assets')(column, key, after)) }}{%- endmacro %}
{% macro default__literal_names(column, key, after) -%}
{%- set b = '\\' -%}
{{ _literal_names("regexp_extract_all(" ~ column ~ ", '" ~ _literal_pattern(key, after, b) ~ "', 1)", b, ", 'g'") }}
{%- endmacro %}
{% macro snowflake__literal_names(column, key, after) -%}
{%- set b = '\\\\' -%}
{{ _literal_names("regexp_substr_all(" ~ column ~ ", '" ~ _literal_pattern(key, after, b) ~ "', 1, 1, 'e', 1)", b, '') }}
{%- endmacro %}
{% macro _literal_pattern(key, after, b) -%}
{{ after | replace("'", "''") }}''{{ key }}'': (''(?:[^''{{ b }}{{ b }}]|{{ b }}{{ b }}.)*''|"(?:[^"{{ b }}{{ b }}]|{{ b }}{{ b }}.)*")
{%- endmacro %}
{# The quoted values of `matches` (an array) joined by chr(31), the outer quotes cut at each joint, escapes read; `g`: DuckDB's flag to replace every match. #}
{% macro _literal_names(matches, b, g) -%}
nullif(replace(replace(replace(replace(
    regexp_replace(regexp_replace(array_to_string({{ matches }}, chr(31)),
        '(^|' || chr(31) || ')[''"]', '{{ b }}1'{{ g }}), '[''"](' || chr(31) || '|$)', '{{ b }}1'{{ g }}),
    chr(31), ','), '{{ b }}''', ''''), '{{ b }}"', '"'), '{{ b }}{{ b }}', '{{ b }}'), '')
{%- endmacro %}

{# How many dicts of a Python-literal list carry `key` (the list's length): `[]` gives 0. #}
{% macro literal_count(column, key) -%}
coalesce(cast((length({{ column }}) - length(replace({{ column }}, '''{{ key }}'':', ''))) / length('''{{ key }}'':') as integer), 0)
{%- endmacro %}
