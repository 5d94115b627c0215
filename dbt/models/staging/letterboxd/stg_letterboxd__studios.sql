{{ letterboxd_exploded('letterboxd_studios', {'studio': 'studio'}) }}
