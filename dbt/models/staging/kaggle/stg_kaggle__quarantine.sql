-- The records each Kaggle archive's loads set aside, from both sources, one row each.
{% for archive, source_name, table in [('letterboxd', 'letterboxd', 'letterboxd_quarantine'),
                                       ('movies', 'movies', 'movies_quarantine')] %}
    select
        partition_date,
        '{{ archive }}' as source,
        {{ json_text('payload', 'file') }} as file,
        {{ json_value('payload', 'line', 'bigint') }} as line_number,
        {{ json_text('payload', 'reason') }} as reason,
        {{ json_text('payload', 'source_line') }} as source_line
    from {{ source(source_name, table) }}
    where {{ partition_window() }}
    {{ 'union all' if not loop.last }}
{% endfor %}
