-- One row per month of the cinema admissions CPI; a month FRED marks missing stays, with a null index.
select
    partition_date,
    cast(observation_date as date) as observation_month,
    cast(value as double) as cpi
from {{ source('fred', 'fred_cpi') }}
where {{ partition_window() }}
