{{ letterboxd_exploded('letterboxd_themes', {'theme': 'theme'}) }}
