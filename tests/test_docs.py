"""Every command (and export format) is documented in README.md and has an example in its help."""

from __future__ import annotations

import re

import click
import pytest

from scraper.cli import commands, main

from .conftest import REPO


def command_names() -> list[str]:
    names = []
    for name, command in commands().items():
        if isinstance(command, click.Group):
            names.extend(f"{name} {sub}" for sub in command.commands)
        else:
            names.append(name)
    return sorted(names)


@pytest.mark.parametrize("name", command_names())
def test_command_is_in_readme(name: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head, _, sub = name.partition(" ")
    lines = [line for line in readme.splitlines() if f"newsarchive {head}" in line]
    documented = any(re.search(rf"newsarchive {head}\b", line) and (not sub or re.search(rf"\b{sub}\b", line))
                     for line in lines)
    assert documented, f"`newsarchive {name}` is not documented in README.md"


@pytest.mark.parametrize("name", command_names())
def test_command_help_ends_with_an_example(name: str) -> None:
    context = click.Context(main)
    command = main
    for part in name.split():
        command = command.get_command(context, part)
    assert "Example:" in (command.help or "") and f"newsarchive {name}" in command.help.split("Example:")[-1]
