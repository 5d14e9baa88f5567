"""Commands registered by coach.cli: see COMMANDS."""

COMMANDS: list = []
