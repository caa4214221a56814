"""Code patterns: how a misconception catalogue describes a mistake in the shape of a draft's code.

A pattern is Python source in which ``$name`` stands for any expression (or any attribute or
keyword name). The same placeholder used twice must match the same code. Placeholders ending in
``_str``, ``_num``, ``_name`` or ``_list`` only match a string literal, a number literal, a bare
name or a list display. ``*$rest`` as the last positional argument (or element) matches any
remaining ones; ``**$kw`` allows any further keyword arguments. Examples::

    $df[$a][$b] = $v              # chained indexing assignment
    $df.iloc[$rows, $col_str]     # iloc with a column label
    $x == None

A block whose only line is a placeholder (``$body``) matches any block. The statements of any
other block must appear in that order in the draft's block, with other statements between them
allowed, and each may sit inside an ``if``, ``with`` or ``try`` of the block (not inside a nested
loop or function), so that ::

    for $v in $xs:
        $acc = $start_num
        $acc += $w

also finds a counter reset in a loop whose increment is guarded by an ``if``. A pattern of several
statements matches them the same way in any block of the draft, so a value can be followed through
a name (``$q = $s.quantile(0.75)`` then ``iqr = $q``). ``def $f(*$args):``
matches a function with any parameters. A pattern that is an expression matches it anywhere, even
inside a larger statement; ending it with ``;`` makes it match only a statement of its own, e.g.
``$df.sort_values(*$args, **$kw);`` finds a sort whose result is thrown away. A pattern may name
``unless`` patterns: a match counts only if none of them is found inside it (a function that
prints, unless it also returns a value). Patterns are matched on the abstract syntax tree, so
spacing, quotes and parentheses do not matter.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

__all__ = ["CodePattern", "PatternError"]

_PREFIX = "__pattern_"
_PLACEHOLDER = re.compile(r"\$(\w+)")
_IGNORED_FIELDS = {"ctx", "type_comment", "kind"}
_KINDS: dict[str, type[ast.AST] | tuple[type[ast.AST], ...]] = {
    "_name": ast.Name,
    "_list": ast.List,
}
#: Blocks whose statements count as statements of the block around them.
_TRANSPARENT = (ast.If, ast.With, ast.AsyncWith, ast.Try, ast.TryStar)


class PatternError(ValueError):
    """The pattern is not valid Python once its placeholders are replaced."""


@dataclass(frozen=True)
class CodePattern:
    """A compiled pattern; ``search`` finds the first place of a draft that matches it."""

    source: str
    _root: ast.AST | list[ast.stmt] = field(repr=False, compare=False)
    unless: tuple[CodePattern, ...] = ()

    @classmethod
    def compile(cls, source: str, unless: Sequence[str] = ()) -> CodePattern:
        """Parse a pattern and its ``unless`` patterns; raise :class:`PatternError` if one is not
        valid Python once its placeholders are replaced."""
        text = _PLACEHOLDER.sub(lambda m: _PREFIX + m.group(1), source.strip())
        try:
            module = ast.parse(text)
        except SyntaxError as exc:
            raise PatternError(f"pattern {source!r} is not valid Python: {exc.msg}") from exc
        if not module.body:
            raise PatternError("a pattern cannot be empty")
        statement = module.body[0]
        as_statement = source.strip().endswith(";")
        root: ast.AST | list[ast.stmt] = (
            module.body
            if len(module.body) > 1
            else statement.value
            if isinstance(statement, ast.Expr) and not as_statement
            else statement
        )
        return cls(source, root, tuple(cls.compile(text) for text in unless))

    def search(self, draft: str) -> ast.AST | None:
        """The first node of the draft that matches; None also when the draft does not parse."""
        return next(iter(self.find_all(draft)), None)

    def find_all(self, draft: str) -> list[ast.AST]:
        """Every node of the draft that matches, in the order of ``ast.walk``; none when the
        draft does not parse."""
        try:
            tree = ast.parse(draft)
        except (SyntaxError, ValueError):
            return []
        return list(self._matches(tree))

    def _matches(self, tree: ast.AST) -> Iterator[ast.AST]:
        """Each matching node (for several statements, the last one) not excused by ``unless``."""
        for node in ast.walk(tree):
            if isinstance(self._root, list):
                block = getattr(node, "body", None)
                matched = (
                    _match_in_order(self._root, list(_statements(block)), {})
                    if isinstance(block, list) and not isinstance(node, _TRANSPARENT)
                    else None
                )
                found: ast.AST | None = matched[-1] if matched else None
            else:
                same = type(node) is type(self._root) and _match(self._root, node, {})
                found = node if same else None
            if found is not None and not any(next(u._matches(found), None) for u in self.unless):
                yield found


def _placeholder(value: object) -> str | None:
    if isinstance(value, ast.Name) and value.id.startswith(_PREFIX):
        return value.id[len(_PREFIX) :]
    if isinstance(value, str) and value.startswith(_PREFIX):
        return value[len(_PREFIX) :]
    return None


def _kind_ok(name: str, node: object) -> bool:
    if name.endswith("_str"):
        return isinstance(node, ast.Constant) and isinstance(node.value, str)
    if name.endswith("_num"):
        return (
            isinstance(node, ast.Constant)
            and isinstance(node.value, int | float)
            and not isinstance(node.value, bool)
        )
    for suffix, kind in _KINDS.items():
        if name.endswith(suffix):
            return isinstance(node, kind)
    return True


def _same(a: object, b: object) -> bool:
    if isinstance(a, ast.AST) and isinstance(b, ast.AST):
        return _dump(a) == _dump(b)
    return a == b


def _dump(node: ast.AST) -> str:
    return re.sub(r"ctx=\w+\(\)", "", ast.dump(node))


def _bind(name: str, node: object, bindings: dict[str, object]) -> bool:
    if not _kind_ok(name, node):
        return False
    if name == "_":
        return True
    if name in bindings:
        return _same(bindings[name], node)
    bindings[name] = node
    return True


def _match(pattern: object, node: object, bindings: dict[str, object]) -> bool:
    name = _placeholder(pattern)
    if name is not None:
        return _bind(name, node, bindings)
    if isinstance(pattern, list):
        return isinstance(node, list) and _match_list(pattern, node, bindings)
    if not isinstance(pattern, ast.AST):
        return type(pattern) is type(node) and pattern == node
    if type(pattern) is not type(node):
        return False
    if isinstance(pattern, ast.arguments) and _any_arguments(pattern):
        return True
    for field_name in pattern._fields:
        if field_name in _IGNORED_FIELDS:
            continue
        expected, actual = getattr(pattern, field_name, None), getattr(node, field_name, None)
        if field_name == "keywords":
            if not _match_keywords(expected or [], actual or [], bindings):
                return False
        elif not _match(expected, actual, bindings):
            return False
    return True


def _any_arguments(pattern: ast.arguments) -> bool:
    """``def $f(*$args)``: a lone ``*`` placeholder stands for any parameters."""
    others = (pattern.posonlyargs, pattern.args, pattern.kwonlyargs, pattern.defaults)
    vararg = pattern.vararg
    return (
        vararg is not None
        and _placeholder(vararg.arg) is not None
        and pattern.kwarg is None
        and not any(others)
    )


def _statements(block: list[object]) -> Iterator[ast.stmt]:
    """The block's statements in order, with those of its ``if``, ``with`` and ``try`` blocks."""
    for node in block:
        if not isinstance(node, ast.stmt):
            continue
        yield node
        if isinstance(node, _TRANSPARENT):
            nested = [getattr(node, name, []) for name in ("body", "orelse", "finalbody")]
            nested += [handler.body for handler in getattr(node, "handlers", [])]
            for part in nested:
                yield from _statements(part)


def _match_in_order(
    pattern: list[ast.stmt], candidates: list[ast.stmt], bindings: dict[str, object]
) -> list[ast.stmt] | None:
    """The candidates matched by the pattern's statements, each later than the one before (every
    choice is tried); None if there are none."""
    if not pattern:
        return []
    first, rest = pattern[0], pattern[1:]
    for index, candidate in enumerate(candidates):
        trial = dict(bindings)
        if not _match(first, candidate, trial):
            continue
        matched = _match_in_order(rest, candidates[index + 1 :], trial)
        if matched is not None:
            bindings.update(trial)
            return [candidate, *matched]
    return None


def _match_list(pattern: list[object], nodes: list[object], bindings: dict[str, object]) -> bool:
    if len(pattern) == 1 and isinstance(pattern[0], ast.Expr) and _placeholder(pattern[0].value):
        return bool(nodes) and all(isinstance(n, ast.stmt) for n in nodes)
    if pattern and all(isinstance(p, ast.stmt) for p in pattern):
        statements = [p for p in pattern if isinstance(p, ast.stmt)]
        return _match_in_order(statements, list(_statements(nodes)), bindings) is not None
    rest = pattern[-1] if pattern else None
    if isinstance(rest, ast.Starred) and _placeholder(rest.value) is not None:
        head = pattern[:-1]
        return len(nodes) >= len(head) and all(
            _match(p, n, bindings) for p, n in zip(head, nodes, strict=False)
        )
    return len(pattern) == len(nodes) and all(
        _match(p, n, bindings) for p, n in zip(pattern, nodes, strict=True)
    )


def _match_keywords(
    pattern: list[ast.keyword], nodes: list[ast.keyword], bindings: dict[str, object]
) -> bool:
    open_ended = any(kw.arg is None and _placeholder(kw.value) is not None for kw in pattern)
    wanted = [kw for kw in pattern if kw.arg is not None]
    remaining = list(nodes)
    for kw in wanted:
        found = next((n for n in remaining if _match(kw, n, bindings)), None)
        if found is None:
            return False
        remaining.remove(found)
    return open_ended or not remaining
