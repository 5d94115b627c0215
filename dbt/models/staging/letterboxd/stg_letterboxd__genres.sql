{{ letterboxd_exploded('letterboxd_genres', {'genre': 'genre'}) }}
