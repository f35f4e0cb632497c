"""The commands of the closed loop, one module per concept, over the shared core (core.py)."""
