"""Every CLI command has help text (after sqlite-utils' tests/test_docs.py)."""

from __future__ import annotations

import click
import pytest

from coach.cli import cli


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


@pytest.mark.parametrize("path,command", list(_commands(cli)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help(path, command):
    assert command.help and command.help.strip(), f"coach {' '.join(path)} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"coach {' '.join(path)} {param.opts[0]} has no help text"
