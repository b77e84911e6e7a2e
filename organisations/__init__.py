"""Partners of the network, their people and roles, and the one rule on who may touch what."""
