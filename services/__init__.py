"""Use cases, channel-neutral: the only place that decides, and where authorization is checked."""
