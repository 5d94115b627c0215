-- Revenue by genre and release year in constant prices: each year's revenue divided by that year's
-- average cinema admissions CPI (FRED CUSR0000SS62031) and multiplied by the base year's. The base is
-- the var `cpi_base_year`, by default the latest year with CPI values. Years before the CPI history
-- kept (from 1999) have no real figure. A film of two genres counts in both.
with cpi_years as (
    select extract(year from observation_month) as cpi_year, avg(cpi) as cpi
    from {{ ref('stg_fred__cpi') }}
    where cpi is not null
    group by extract(year from observation_month)
),

base as (
    select cpi_year as base_year, cpi as base_cpi
    from cpi_years
    where cpi_year = {{ var('cpi_base_year') or '(select max(latest.cpi_year) from cpi_years as latest)' }}
),

films as (
    select m.partition_date, g.genre, m.release_year, m.revenue_usd
    from {{ ref('stg_movies__metadata') }} as m
    inner join {{ ref('int_movies__genres') }} as g on m.partition_date = g.partition_date and m.tmdb_id = g.tmdb_id
    where {{ partition_window('m.partition_date') }} and m.revenue_usd is not null
)

select
    f.partition_date,
    f.genre,
    f.release_year,
    count(*) as movies_with_revenue,
    sum(f.revenue_usd) as revenue_usd,
    round(c.cpi, 3) as cpi_release_year,
    b.base_year as cpi_base_year,
    round(sum(f.revenue_usd) * b.base_cpi / c.cpi, 0) as revenue_real_usd
from films as f
left join cpi_years as c on f.release_year = c.cpi_year
left join base as b on true
group by f.partition_date, f.genre, f.release_year, c.cpi, b.base_year, b.base_cpi
