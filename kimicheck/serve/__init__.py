"""`kimicheck serve`: checks on a schedule, cached results on `/metrics`, reload, web config."""
