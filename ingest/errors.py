"""The one error a parser raises."""


class Rejected(Exception):
    """The file cannot be imported; the message says why, in words a reporter can act on."""
