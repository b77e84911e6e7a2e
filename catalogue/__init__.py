"""Offers and their thresholds, districts, neighbourhoods and themes."""
