"""The code pattern language of the misconception catalogue."""

from __future__ import annotations

import pytest

from jupyter_adaptive.curriculum import CodePattern, PatternError


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
    ],
)
def test_pattern_search(pattern: str, draft: str, found: bool) -> None:
    assert (CodePattern.compile(pattern).search(draft) is not None) is found


@pytest.mark.parametrize("pattern", ["$a +", "x = 1\ny = 2"])
def test_invalid_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(PatternError):
        CodePattern.compile(pattern)
