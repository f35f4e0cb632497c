"""Read models computed from the event log: what secretaries, discipline inspection staff and
admins look at. Every view can be dropped and rebuilt from the events."""
