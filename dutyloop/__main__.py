"""``python -m dutyloop`` is the same as the ``dutyloop`` command."""

from dutyloop.cli import main

main()
