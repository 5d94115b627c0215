{{ letterboxd_exploded('letterboxd_crew', {'role': 'crew_role', 'name': 'person_name'}) }}
