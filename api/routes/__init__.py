"""One router per resource: advice, moves, rules, health."""
