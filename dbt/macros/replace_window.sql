{#
  The incremental strategy of every model (`+incremental_strategy: replace_window`, dbt_project.yml):
  delete the run's partition window [min_date, max_date) from the table, then insert the new rows, in one
  transaction. dbt's own delete+insert deletes only the days present in the new rows, so a day whose new
  result is empty (an X day skipped, a source that lost its rows) would keep its old rows in every model
  downstream; this replaces exactly the window's days, empty or not, on every engine.
#}
{% macro get_incremental_replace_window_sql(arg_dict) -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set dml -%}
    delete from {{ arg_dict['target_relation'] }} where {{ partition_window() }};
    insert into {{ arg_dict['target_relation'] }} ({{ columns }}) select {{ columns }} from {{ arg_dict['temp_relation'] }}
    {%- endset -%}
    {{ return(adapter.dispatch('replace_window_dml', 'tv_assets')(dml)) }}
{%- endmacro %}

{% macro default__replace_window_dml(dml) %}{{ return(dml) }}{% endmacro %}
{# Snowflake autocommits each statement: the two run in one explicit transaction, as its delete+insert does. #}
{% macro snowflake__replace_window_dml(dml) %}{{ return(snowflake_dml_explicit_transaction(dml)) }}{% endmacro %}
