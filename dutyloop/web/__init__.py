"""The web application: the pages secretaries, discipline inspection staff and admins use.

Every action is the same domain command as in the CLI, with the logged-in person as the actor.
``dutyloop.web.app.create_app(system)`` builds it; ``dutyloop serve`` runs it.
"""
