"""The mediator workspace: pseudonymous client cases, matching with reasons, shortlists and client sheets."""
