"""The error every scenario problem becomes."""

from __future__ import annotations


class ScenarioError(Exception):
    """A scenario file that cannot be used. ``.messages`` holds one line per problem:
    ``FILE:LINE:COL: path.to.field: message`` (``FILE:LINE:COL: message`` for
    problems of the file as a whole, such as its size or a YAML syntax error)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))

    def __str__(self) -> str:
        return "\n".join(self.messages)
