-- Box office by release year, quarter and month: films with a known revenue (the file's 0 means
-- unknown and is left out), their total and average revenue, and the budgets known among them.
select
    partition_date,
    release_year,
    extract(quarter from release_date) as release_quarter,
    extract(month from release_date) as release_month,
    count(*) as movies_with_revenue,
    sum(revenue_usd) as total_revenue_usd,
    {{ rounded_ratio('sum(revenue_usd)', 'count(*)', 0) }} as avg_revenue_usd,
    sum(budget_usd) as total_budget_usd,
    count(budget_usd) as movies_with_budget
from {{ ref('stg_movies__metadata') }}
where {{ partition_window() }} and revenue_usd is not null
group by 1, 2, 3, 4
