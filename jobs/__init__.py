"""Time-driven work: the scan that turns due work into outbox rows, the dispatcher that delivers
them through the channels, and the few fixed APScheduler jobs that run both."""
