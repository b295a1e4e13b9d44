#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.base")
    from django.core.management import execute_from_command_line

    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command in ("", "help", "runserver", "migrate", "test", "shell", "dbshell", "makemigrations", "check"):
        execute_from_command_line(sys.argv)  # a server's requests carry their own context (the middleware)
        return
    import pghistory

    # Row history (core/history.py): what a command writes is recorded with the command's name.
    with pghistory.context(command=command):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
