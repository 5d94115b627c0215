{{ letterboxd_exploded('letterboxd_countries', {'country': 'country'}) }}
