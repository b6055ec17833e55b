"""Errors a person can act on.

Everything the command line or the app shows to a person is one of these: a sentence that says
what happened and what to do, never a traceback.
"""


class RecoupeError(Exception):
    """Base class: the message is meant for the person who ran the command."""


class WorkspaceError(RecoupeError):
    """The workspace folder is missing, unreadable, or not a workspace."""


class WorkspaceLocked(WorkspaceError):
    """Another process (often the app) holds the workspace's DuckDB file."""


class QueryNotFound(RecoupeError):
    """A named SQL statement does not exist in queries/."""
