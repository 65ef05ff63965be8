"""Further ``policyrank`` subcommands, one module each.

Every module here defines ``register(commands)``, which adds its subparser(s) to the
``add_subparsers`` object and sets ``handler`` to a function ``(args) -> exit code``. The CLI finds
them itself, so adding a command never means editing :mod:`engine.cli.main`. Handlers raise
:class:`engine.errors.InputError` for bad input; the CLI turns it into one line and exit code 2.
"""
