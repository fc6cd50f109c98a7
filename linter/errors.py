class HvlintError(Exception):
    """A usage, configuration or environment error: one line for the user, exit code 2."""
