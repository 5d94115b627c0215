{{ letterboxd_exploded('letterboxd_languages', {'type': 'language_type', 'language': 'language'}) }}
