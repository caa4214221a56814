"""The code pattern language of the misconception catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jupyter_adaptive.curriculum import CodePattern, PatternError, read_course

from .conftest import FIXTURES

RESET = "for $v in $xs:\n    $acc = $start_num\n    $acc += $w"
FOLLOWED = "$q = $s.quantile($p)\niqr = $q"


@pytest.mark.parametrize(
    ("pattern", "draft", "found"),
    [
        ("$df[$a][$b] = $v", "df['x'][0] = 3", True),
        ("$df[$a][$b] = $v", "df.loc[0, 'x'] = 3", False),
        ("$df.iloc[$r, $c_str]", "df.iloc[0, 'age']", True),
        ("$df.iloc[$r, $c_str]", "df.iloc[0, 1]", False),
        ("$x = $x.append($y)", "xs = xs.append(1)", True),
        ("$x = $x.append($y)", "ys = xs.append(1)", False),
        ("$df.groupby($k).$f(*$a, **$kw)", "df.groupby('a').mean(numeric_only=True)", True),
        ("$df.drop($c_str)", "df.drop('a', axis=1)", False),
        ("$df.sort_values(*$a, **$k);", "df.sort_values('a')", True),
        ("$df.sort_values(*$a, **$k);", "ranked = df.sort_values('a')", False),
        (
            "for $i in range(len($df)):\n    $body",
            "for i in range(len(d)):\n    a = 1\n    b = 2",
            True,
        ),
        ("$x == None", "if a == None: pass", True),
        ("$x == None", "if a is None: pass", False),
        ("$x == None", "this is not python", False),
        (RESET, "for t in ts:\n    n = 0\n    if t < 0:\n        print(t)\n        n += 1", True),
        (RESET, "for t in ts:\n    n = 0\n    m = 1\n    n += t", True),
        (RESET, "for t in ts:\n    n += t\n    n = 0", False),
        (RESET, "n = 0\nfor t in ts:\n    if t < 0:\n        n += 1", False),
        (RESET, "for row in rows:\n    n = 0\n    for x in row:\n        n += x", False),
        ("def $f(*$args):\n    print(*$a)", "def f(a, b=1, *c):\n    x = a\n    print(x)", True),
        ("def $f(*$args):\n    print(*$a)", "def f(a):\n    return a", False),
        (FOLLOWED, "q3 = s.quantile(0.75)\nprint(q3)\niqr = q3", True),
        (FOLLOWED, "q3 = s.quantile(0.75)\niqr = q1", False),
        (FOLLOWED, "def f(s):\n    q = s.quantile(0.5)\n    iqr = q", True),
    ],
)
def test_pattern_search(pattern: str, draft: str, found: bool) -> None:
    assert (CodePattern.compile(pattern).search(draft) is not None) is found


def test_unless_excuses_a_match_that_contains_it() -> None:
    prints = CodePattern.compile("def $f(*$args):\n    print(*$a)", unless=["return $v"])
    assert prints.search("def f(x):\n    print(x)\n\ndef g(x):\n    return x") is not None
    assert prints.search("def f(x):\n    print(x)\n    return x") is None


def test_find_all_lists_every_match_and_a_multi_statement_match_points_at_its_last() -> None:
    pattern = CodePattern.compile(FOLLOWED)
    [node] = pattern.find_all("q3 = s.quantile(0.75)\niqr = q3")
    assert getattr(node, "lineno", None) == 2
    assert len(CodePattern.compile("$x == None").find_all("a == None\nb == None")) == 2


@pytest.mark.parametrize("pattern", ["$a +", ""])
def test_invalid_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(PatternError):
        CodePattern.compile(pattern)


def test_the_catalogue_declares_unless_and_refuses_a_malformed_pattern(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "valid", course)
    (course / "misconceptions.yaml").write_text(
        "loops:\n"
        "  - id: print-not-return\n"
        "    title: Printing instead of returning\n"
        "    patterns:\n"
        "      - match: |\n"
        "          def $f(*$args):\n"
        "              print(*$a)\n"
        "        unless: 'return $v'\n"
        "    feedback: Return the value.\n"
        "  - id: broken\n"
        "    title: A pattern without its match\n"
        "    patterns:\n"
        "      - {unless: 'return $v'}\n"
        "    feedback: Nothing.\n"
    )
    found, problems = read_course(course)
    [m] = [m for m in found.misconceptions if m.id == "print-not-return"]
    assert m.matches_draft("def f(x):\n    print(x)")
    assert not m.matches_draft("def f(x):\n    print(x)\n    return x")
    assert [p.where for p in problems if p.code == "invalid-misconception"] == [
        "misconception 'broken'",
        "misconception 'broken'",
    ]
