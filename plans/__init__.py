"""Understanding plans: deadline grammar, working days, unit matching and plan importers."""
