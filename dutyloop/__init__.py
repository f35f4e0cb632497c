"""DutyLoop's composition root: settings, wiring, the command line and the web."""
