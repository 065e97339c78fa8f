"""YAML that people write, read with its line numbers and checked against a schema.

Shared by the content front matter and the project config: every error names
the file and line, says what is wrong and what would be right.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import yaml

from samizdat.errors import SamizdatError


class NoAliasLoader(yaml.SafeLoader):
    """YAML without implicit timestamps (a date stays text, so a wrong one is a located schema error)
    and without aliases (`*name`), which a hostile file could nest into a billion copies."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed here; write the value out", event.start_mark
            )
        return super().compose_node(parent, index)


NoAliasLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Schema:
    """A JSON Schema for a mapping, and for each field a hint of what it should look like."""

    what: str  # "front matter", "project config"
    schema: dict
    hints: dict[str, str]
    error: type[SamizdatError] = SamizdatError


@dataclass(frozen=True)
class Located:
    """Parsed YAML and where it came from, to turn a field path into a file line."""

    data: dict
    node: yaml.MappingNode
    path: Path
    first_line: int  # the file line of the YAML's first line

    def line_of(self, field_path: list) -> int:
        node: yaml.Node = self.node
        for step in field_path:
            if isinstance(node, yaml.MappingNode):
                match = [value for key, value in node.value if key.value == step]
                if not match:
                    break
                node = match[0]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
            else:
                break
        return node.start_mark.line + self.first_line


def load_checked(text: str, path: Path, first_line: int, schema: Schema) -> Located:
    """Parse `text` (which starts on file line `first_line`) and validate it; raise schema.error if wrong."""
    located = _parse(text, path, first_line, schema)
    validator = jsonschema.Draft202012Validator(schema.schema, format_checker=jsonschema.FormatChecker())
    # An unknown field first: `Title:` is a misspelt `title:` more than a missing one.
    errors = sorted(
        validator.iter_errors(located.data),
        key=lambda e: (e.validator != "additionalProperties", located.line_of(list(e.absolute_path))),
    )
    if errors:
        raise _schema_error(errors[0], located, schema)
    return located


#: How deep collections may nest in YAML samizdat reads; deeper is refused before the pure-Python parser reads
#: it, whose scanner takes time quadratic in the depth (3,000 brackets: 2 s) before it runs out of stack.
MAX_NESTING = 100


def too_deep(text: str) -> bool:
    """Whether the YAML's collections nest deeper than MAX_NESTING, as libyaml's parser (linear) sees them.

    Where PyYAML has no libyaml, or libyaml cannot parse the text for another
    reason, the answer is no: the parser that reads it says what is wrong.

    >>> too_deep("a: " + "[" * 99 + "]" * 99), too_deep("a: " + "[" * 100 + "]" * 100), too_deep("a: [")
    (False, True, False)
    >>> too_deep("- " * 3000 + "x")  # libyaml itself stops at 1,000 levels
    True
    """
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return False
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    return True
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as error:
        return "maximum nesting depth" in str(error)
    return False


def _parse(text: str, path: Path, first_line: int, schema: Schema) -> Located:
    empty = yaml.MappingNode("tag:yaml.org,2002:map", [], start_mark=yaml.Mark(str(path), 0, 0, 0, None, None))
    if too_deep(text):
        raise schema.error(f"the {schema.what} is nested too deeply", path, first_line)
    try:
        loader = NoAliasLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except RecursionError:
        raise schema.error(f"the {schema.what} is nested too deeply", path, first_line) from None
    except yaml.reader.ReaderError as error:  # a character YAML refuses (U+FFFE...); controls are refused earlier
        line = first_line + text.count("\n", 0, error.position)
        message = f"the {schema.what} holds the character U+{error.character:04X}, which YAML does not allow"
        raise schema.error(message, path, line) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise schema.error(
            f"the {schema.what} is not valid YAML ({error.problem}): check the indentation; a value holding "
            'a colon or a quote goes in double quotes, with \\" for a double quote inside it',
            path,
            mark.line + first_line if mark else first_line,
        ) from None
    if not isinstance(data, dict):
        raise schema.error(f"the {schema.what} must be a list of 'field: value' lines", path, first_line)
    node = node if node is not None else empty
    _refuse_endless(node, path, first_line, schema)
    seen: set[str] = set()
    for key_node, _ in node.value:
        if key_node.tag != "tag:yaml.org,2002:str" or not key_node.value:
            line = key_node.start_mark.line + first_line
            raise schema.error(f"'{key_node.value}' is not a field name; field names are words like title", path, line)
        if key_node.value in seen:
            line = key_node.start_mark.line + first_line
            raise schema.error(f"the field '{key_node.value}' is given twice; keep one", path, line)
        seen.add(key_node.value)
    return Located(data, node, path, first_line)


def _refuse_endless(root: yaml.Node, path: Path, first_line: int, schema: Schema) -> None:
    """Refuse `.inf`, `.nan` and `1.0e999`: no size, margin or count is endless, and a comparison with NaN is
    always false, so such a value would pass every check and break what uses it."""
    nodes = [root]
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.MappingNode):
            nodes += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            nodes += node.value
        elif node.tag == "tag:yaml.org,2002:float" and not math.isfinite(_float(node.value)):
            raise schema.error(
                f"'{node.value}' is not a number samizdat can use (it is endless or not a number at all): "
                "write a plain number, such as 25 or 2.5",
                path,
                node.start_mark.line + first_line,
            )


def _float(text: str) -> float:
    """A YAML 1.1 float as PyYAML reads it: `.inf`, `-.Inf`, `.NaN`, `1_000.5`, `1.0e+999`."""
    return yaml.constructor.SafeConstructor.construct_yaml_float(
        yaml.constructor.SafeConstructor(), yaml.ScalarNode("tag:yaml.org,2002:float", text)
    )


#: How a value of the wrong kind is named in a message ('NoneType' means nothing to the people writing YAML).
KINDS = {type(None): "nothing", bytes: "binary data", list: "a list", dict: "a group of fields", set: "a set"}


def _shown(value: object) -> str:
    """The wrong value, as the message shows it: 'B5', 3, or what kind of thing it is (nothing, a list...)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return repr(value[:59] + "…" if isinstance(value, str) and len(value) > 60 else value)  # 200 KB would flood
    return KINDS.get(type(value), "a value of another kind")


def _schema_error(error: jsonschema.ValidationError, located: Located, schema: Schema) -> SamizdatError:
    field_path = list(error.absolute_path)
    known = schema.schema["properties"]
    if error.validator == "required":
        missing = sorted(set(error.validator_value) - set(error.instance))[0]
        message = f"the required field '{missing}' is missing; add {schema.hints[missing]}"
        return schema.error(message, located.path, located.first_line)
    if error.validator == "additionalProperties" and not field_path:
        unknown = sorted(set(error.instance) - set(known))[0]
        close = difflib.get_close_matches(unknown.lower(), known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"the fields are: {', '.join(known)}"
        return schema.error(f"unknown field '{unknown}': {hint}", located.path, located.line_of([unknown]))
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):  # nested: posters, print...
        allowed = list(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))[0]
        close = difflib.get_close_matches(str(unknown).lower(), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"it takes: {', '.join(allowed)}"
        where = str(field_path[0]) + "".join(f"[{step + 1}]" if isinstance(step, int) else f".{step}"
                                             for step in field_path[1:])  # fmt: skip
        line = located.line_of([*field_path, unknown])
        return schema.error(f"unknown field '{unknown}' in {where}: {hint}", located.path, line)
    field = str(field_path[0]) if field_path else "?"
    where = field + "".join(f"[{step + 1}]" if isinstance(step, int) else f".{step}" for step in field_path[1:])
    hint = schema.hints.get(".".join(str(step) for step in field_path), schema.hints.get(field, ""))
    detail = error.message if error.validator == "additionalProperties" else f"it should be {hint}"
    return schema.error(
        f"the field '{where}' is wrong ({_shown(error.instance)}): {detail}", located.path, located.line_of(field_path)
    )
