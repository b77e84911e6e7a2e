"""The catalogue search: one query model with an Elasticsearch and an embedded database engine."""
