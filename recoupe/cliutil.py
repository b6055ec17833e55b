"""What every command line of Recoupe shares: the workspace option, errors as one line."""

from __future__ import annotations

import argparse
import sys
from functools import wraps

from .errors import RecoupeError
from .workspace import ENV_VAR


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace", metavar="DIR", default=None,
        help=f"the workspace folder (default: ${ENV_VAR}, else ./workspace)")


def add_json_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--json", action="store_true", help=f"print {what} as JSON, for scripts")


def fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def one_line_errors(func):
    """Turn the errors meant for people into one line on stderr and exit code 1."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except RecoupeError as exc:
            return fail(str(exc))
        except BrokenPipeError:  # `| head`
            return 0
        except KeyboardInterrupt:
            return fail("interrupted; nothing half-written was kept", 130)

    return wrapper
