"""Time-driven work: reminders before and after deadlines, meeting cadence and the monthly
bulletin, recorded as domain events by the one scheduler that holds the database lock."""
