"""The follows' admin wiring, one module a part, registered on import."""

from . import invitation_admin  # noqa: F401 - a round's invitations: the queue, pause and resume
