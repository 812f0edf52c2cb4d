"""The state of the work: tasks and what officers report on them (done, progress, blockers,
extensions, evidence), and the questions asked of it (lists, summaries, the dashboard)."""
