"""DutyLoop's domain: the closed loop of Party-building responsibility as event-sourced aggregates.

Nothing here knows about databases, schedulers, templates or the web: the outer packages
depend on this one, never the other way round.
"""
