"""Elasticsearch for the offer search: the index definition, the query builder and the zero-downtime index manager."""
