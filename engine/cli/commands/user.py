"""``policyrank user``: the password file the app's sign-in checks when ``POLICYRANK_AUTH=password``."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from engine import passwords
from engine.errors import InputError


def register(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="add a user, or give one a new password (asked for twice)")
    add.add_argument("name")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input instead of asking",
    )
    remove = verbs.add_parser("remove", help="remove a user")
    remove.add_argument("name")
    verbs.add_parser("list", help="the user names in the file")
    for verb in (add, remove, verbs.choices["list"]):
        verb.add_argument(
            "--file",
            type=Path,
            default=None,
            help=f"the password file (default: ${passwords.ENVIRONMENT}, else {passwords.default_path()})",
        )
    parser.set_defaults(handler=handle)


def ask_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise InputError("policyrank user add", "password", "the two passwords differ; nothing was changed")
    return first


def handle(args: argparse.Namespace) -> int:
    path = args.file or passwords.default_path()
    if args.verb == "list":
        sys.stdout.write("".join(f"{name}\n" for name in passwords.read(path)))
    elif args.verb == "remove":
        passwords.remove(path, args.name)
        sys.stderr.write(f"removed {args.name} from {path}\n")
    else:
        passwords.check_name(args.name)
        new = passwords.add(path, args.name, ask_password(args.password_stdin))
        sys.stderr.write(f"{'added' if new else 'changed the password of'} {args.name} in {path}\n")
    return 0
