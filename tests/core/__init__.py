"""Unit tests of the escalate core: loader, compiler, ranking, deadlines, CLI, engine."""
