{{ letterboxd_exploded('letterboxd_actors', {'name': 'actor_name', 'role': 'character_name'}) }}
