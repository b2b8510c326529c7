"""Reading a composed YAML tree with line numbers, so every complaint points at the offending node.

We walk `yaml.compose` output instead of `yaml.safe_load` because only the node graph keeps marks
(line and column), and because scalars stay exactly as written: an unquoted mobile number or
an all-digit userid is not silently turned into an int.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

NULL_TAG = "tag:yaml.org,2002:null"
# libyaml composes 4x faster than pure Python and keeps the same marks; fall back when not built.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Issue:
    """One problem in the file, with the 1-based line and column of the YAML node it is about."""

    filename: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.filename}, line {self.line}, column {self.column}: {self.message}"


@dataclass
class Collector:
    """Gathers every error and warning of one file, so the operator fixes them all in one pass."""

    filename: str
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def error(self, node: Node, message: str) -> None:
        self.errors.append(self._issue(node, message))

    def sort(self) -> None:
        """File order: the operator reads and fixes from the top down."""
        self.errors.sort(key=lambda i: (i.line, i.column))
        self.warnings.sort(key=lambda i: (i.line, i.column))

    def warn(self, node: Node, message: str) -> None:
        self.warnings.append(self._issue(node, message))

    def _issue(self, node: Node, message: str) -> Issue:
        mark = node.start_mark
        return Issue(self.filename, mark.line + 1, mark.column + 1, message)


def compose(source_text: str, out: Collector) -> Node | None:
    """The root node, or None after recording the syntax error (YAML stops at the first one)."""
    try:
        return yaml.compose(source_text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = "; ".join(part for part in (exc.context, exc.problem) if part)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        out.errors.append(Issue(out.filename, line, column, f"YAML syntax error: {problem}"))
    except yaml.YAMLError as exc:
        out.errors.append(Issue(out.filename, 1, 1, f"YAML error: {exc}"))
    return None


def choices(value: str, allowed: tuple[str, ...]) -> str:
    """The allowed values, with a suggestion when `value` looks like a typo of one of them."""
    text = ", ".join(allowed)

    # Compare with the last word too, so 'stweard' finds 'township_steward'.
    def score(option: str) -> float:
        return max(
            difflib.SequenceMatcher(None, value, part).ratio() for part in (option, option.split("_")[-1])
        )

    best = max(allowed, key=score, default=None)
    return f"{text} (did you mean '{best}'?)" if best and score(best) >= 0.6 else text


def describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "nothing" if node.tag == NULL_TAG else f"'{node.value}'"


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL_TAG


class Fields:
    """The keys of one mapping: unknown and duplicate keys are reported once, on construction."""

    def __init__(self, node: Node, out: Collector, *, what: str, allowed: tuple[str, ...]) -> None:
        self.node, self.out, self.what = node, out, what
        self.values: dict[str, Node] = {}
        self.ok = isinstance(node, MappingNode)
        if not self.ok:
            out.error(node, f"{what} must be a mapping of keys ({', '.join(allowed)}), got {describe(node)}")
            return
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in self.values:
                out.error(key_node, f"key '{key}' appears twice in {what}")
            elif key not in allowed:
                out.error(key_node, f"unknown key '{key}' in {what}; allowed keys: {choices(key, allowed)}")
            self.values.setdefault(key, value_node)

    def get(self, key: str) -> Node | None:
        return self.values.get(key)

    def text(self, key: str, *, required: bool = False, max_len: int = 256) -> str | None:
        """A scalar as written, stripped; None when absent or empty (an error if required)."""
        node = self.values.get(key)
        if node is None or is_null(node) or (isinstance(node, ScalarNode) and not str(node.value).strip()):
            if required and self.ok:
                self.out.error(node or self.node, f"{self.what} has no '{key}' (required)")
            return None
        if not isinstance(node, ScalarNode):
            self.out.error(node, f"'{key}' must be text, got {describe(node)}")
            return None
        value = str(node.value).strip()
        if len(value) > max_len:
            self.out.error(node, f"'{key}' is {len(value)} characters long; at most {max_len} allowed")
            return None
        return value

    def flag(self, key: str) -> bool:
        """true/false (absent is false); anything else is an error."""
        value = self.text(key, max_len=8)
        if value is None:
            return False
        if value.lower() not in ("true", "false"):
            self.out.error(self.values[key], f"'{key}' must be true or false, got '{value}'")
            return False
        return value.lower() == "true"

    def items(self, key: str) -> list[Node]:
        """The entries of a list-valued key; absent or empty means no entries."""
        node = self.values.get(key)
        if node is None or is_null(node):
            return []
        if not isinstance(node, SequenceNode):
            self.out.error(node, f"'{key}' must be a list (entries starting with '- '), got {describe(node)}")
            return []
        return list(node.value)

    def json_mapping(self, key: str) -> dict:
        """A free-form mapping of JSON-compatible values (stored as JSON), {} when absent."""
        node = self.values.get(key)
        if node is None or is_null(node):
            return {}
        if not isinstance(node, MappingNode):
            self.out.error(node, f"'{key}' must be a mapping, got {describe(node)}")
            return {}
        try:
            value = yaml.SafeLoader("").construct_document(node)
            # Round-trip so dates, sets and non-string keys are caught here, not at INSERT time.
            json.loads(json.dumps(value, allow_nan=False))
        except (TypeError, ValueError, yaml.YAMLError) as exc:
            self.out.error(
                node,
                f"'{key}' must hold only text, numbers, true/false, lists and mappings "
                f"(quote dates and times): {exc}",
            )
            return {}
        if any(not isinstance(k, str) for k in value):
            self.out.error(node, f"the keys of '{key}' must be text")
            return {}
        return value
