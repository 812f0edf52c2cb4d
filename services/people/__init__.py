"""Who works in a ward: organizations, units and their aliases, officers, invites, preferences and
web sign-in."""
