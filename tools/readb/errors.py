"""The one exception type for failures a user can cause and fix."""


class ReadbError(Exception):
    """Printed as one line by the CLI, never as a traceback."""
