"""The advocates' scenarios: Gherkin features in ``features/`` run against the service."""
