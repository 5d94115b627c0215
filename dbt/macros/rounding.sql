{#
  Rounded averages that are the same on every engine and every run. `round(avg(x), 2)` over floats
  depends on summation order and on how each engine rounds a binary fraction ending in 5, so DuckDB
  and Snowflake could disagree on 7.175. Here the mean is a ratio of integer sums, rounded half up
  with integer arithmetic: floor((2 * num * 10^d + den) / (2 * den)) / 10^d, exact on both engines.
#}

{# num / den rounded to `digits` decimals; num and den are non-negative integer expressions. #}
{% macro rounded_ratio(num, den, digits) -%}
    floor((2 * ({{ num }}) * {{ 10 ** digits }} + ({{ den }})) / nullif(2 * ({{ den }}), 0)) / {{ 10 ** digits }}.0
{%- endmacro %}

{# The mean of a column holding values with one decimal (ratings), rounded to `digits` decimals. #}
{% macro mean_of_tenths(column, digits=2) -%}
    {{ rounded_ratio('sum(cast(round(' ~ column ~ ' * 10) as bigint))', '10 * count(' ~ column ~ ')', digits) }}
{%- endmacro %}
