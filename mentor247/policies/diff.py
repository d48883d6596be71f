"""What changed between two texts, line by line, for people asked to accept a new version."""

import difflib
from dataclasses import dataclass
from typing import Literal

LineKind = Literal["same", "added", "removed", "gap"]


@dataclass(frozen=True)
class DiffLine:
    kind: LineKind
    text: str


def changed_lines(old: str, new: str, *, context: int = 2) -> list[DiffLine]:
    """The added and removed lines with `context` unchanged lines around each change."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    lines: list[DiffLine] = []
    for index, group in enumerate(matcher.get_grouped_opcodes(context)):
        if index:
            lines.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("same", line) for line in old_lines[i1:i2])
                continue
            if tag in ("replace", "delete"):
                lines.extend(DiffLine("removed", line) for line in old_lines[i1:i2])
            if tag in ("replace", "insert"):
                lines.extend(DiffLine("added", line) for line in new_lines[j1:j2])
    return lines
