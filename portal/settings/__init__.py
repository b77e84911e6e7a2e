"""Settings split per environment: base, dev, test and production."""
