"""Near-duplicate adverts: every copy of an advert grouped in one cluster (issue 6)."""
