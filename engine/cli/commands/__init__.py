"""The ``policyrank`` commands, one module each, listed in :data:`engine.cli.main.COMMANDS`.

Every module defines ``register(parser)``, which adds the command's flags to its subparser and
sets ``handler`` to a function ``(args) -> exit code``; the module is imported only when its
command runs. Handlers raise :class:`engine.errors.InputError` for bad input; the CLI turns it
into one line and exit code 2. The flags several commands share are in :mod:`engine.cli.common`.
"""
