"""Notifications: follow the event log, turn the events people must hear about into messages,
and deliver each one once per recipient and channel (in-app inbox, email, enterprise IM robots).

``outbox`` decides what to send (exactly once, committed with its log position); ``dispatch``
sends it (claim, send, record); ``inbox`` and ``deliveries`` answer people and administrators.
"""
