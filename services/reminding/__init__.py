"""Chasing: the reminder policy and calendar, the pure reminder maths, the scan that turns due
work into outbox rows, the outbox itself (and the notices to chairs and admins queued in it),
what the office sees of deliveries, and housekeeping."""
