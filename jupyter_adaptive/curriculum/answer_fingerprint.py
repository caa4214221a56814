"""How a check item's test cell tells a right answer from a wrong one without holding the key.

The test cell compares the fingerprint of the learner's ``answer`` with the fingerprint of the key,
computed on the server. The source of :func:`answer_fingerprint` is copied into every check's test
cell, so the kernel needs nothing from this package: the function imports only the standard
library, inside its body, and both sides normalise an answer with the very same code.
"""

from __future__ import annotations

__all__ = ["answer_fingerprint"]


def answer_fingerprint(answer: object, kind: str, salt: str, decimals: int = 2) -> str:
    """The salted SHA-256 of an answer, normalised for its kind of check.

    ``choice``: the letter, trimmed and lower-cased. ``numeric``: the number rounded to
    ``decimals`` places. ``output``: the printed text without leading, trailing and line-end
    spaces. ``expression``: the value, numbers rounded to ``decimals`` places inside lists,
    dictionaries, Series and DataFrames (their labels and order count).
    """
    import hashlib

    def normal(value: object) -> str:
        if hasattr(value, "to_dict"):  # a pandas Series or DataFrame
            value = value.to_dict()
        elif hasattr(value, "tolist"):  # a NumPy array or scalar
            value = value.tolist()
        if isinstance(value, bool) or value is None:
            return repr(value)
        if isinstance(value, int | float):
            return repr(round(float(value), decimals) + 0.0)
        if isinstance(value, dict):
            return "{" + ", ".join(f"{normal(k)}: {normal(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list | tuple):
            return "[" + ", ".join(normal(v) for v in value) + "]"
        return repr(value)

    if kind == "choice":
        text = str(answer).strip().lower()
    elif kind == "output":
        text = "\n".join(line.rstrip() for line in str(answer).strip().splitlines())
    else:
        text = normal(answer)
    return hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()
