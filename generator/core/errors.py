"""The one exception the library raises for 'could not run' conditions
(missing folders, missing tools); content problems are findings instead."""


class EaError(Exception):
    """A condition that stops a command before it can report findings."""
