{# The English weekday name of an ISO weekday number (1 = Monday): the same text on every engine. #}
{% macro weekday_name(iso_weekday) -%}
    case {{ iso_weekday }}
        when 1 then 'Monday' when 2 then 'Tuesday' when 3 then 'Wednesday' when 4 then 'Thursday'
        when 5 then 'Friday' when 6 then 'Saturday' when 7 then 'Sunday'
    end
{%- endmacro %}
