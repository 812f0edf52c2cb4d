"""Chasing: the reminder policy and calendar, the pure reminder maths, the scan that turns due
work into outbox rows, the outbox itself, notices to chairs and admins, and housekeeping."""
