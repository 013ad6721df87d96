"""What a translation copies or pairs: URLs and e-mail addresses (copied as they are),
brackets and quotation marks (opened and closed)."""

from __future__ import annotations

import re

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"«»“”]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_TRAILING = ".,;:!?'’\"،؛)]"
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_BRACKET = re.compile(r"[()\[\]{}]")
# Arabic text writes its quotation marks either way round (”…“ as often as “…”), so each
# pair is counted as marks of one kind, not as openers and closers.
_QUOTE_KINDS = ("\"", "“”", "«»")


def _trim(url: str) -> str:
    # A sentence's closing bracket or full stop is not part of the URL, unless it opened inside.
    while url and url[-1] in _TRAILING and not (url[-1] == ")" and url.count("(") >= url.count(")")):
        url = url[:-1]
    return url


def urls(text: str) -> list[tuple[int, int, str]]:
    """URLs and e-mail addresses with their spans; the value is how they compare (scheme
    and host in lower case, no trailing slash)."""
    found = []
    for match in _URL.finditer(text):
        url = _trim(match.group())
        scheme, sep, rest = url.partition("://")
        host, slash, path = (rest if sep else scheme).partition("/")
        key = (f"{scheme.lower()}://" if sep else "") + host.lower() + slash + path
        found.append((match.start(), match.start() + len(url), key.rstrip("/")))
    taken = [(a, b) for a, b, _ in found]
    for match in _EMAIL.finditer(text):
        if not any(a <= match.start() < b for a, b in taken):
            email = _trim(match.group())
            found.append((match.start(), match.start() + len(email), email.lower()))
    return sorted(found)


def brackets_balanced(text: str) -> bool:
    stack: list[str] = []
    for ch in _BRACKET.findall(text):
        if ch in _OPENERS:
            stack.append(ch)
        elif not stack or stack.pop() != _CLOSERS[ch]:
            return False
    return not stack


def brackets(text: str) -> str:
    return "".join(_BRACKET.findall(text))


def quotes_balanced(text: str) -> bool:
    return all(sum(text.count(ch) for ch in kind) % 2 == 0 for kind in _QUOTE_KINDS)


def quotes(text: str) -> str:
    return "".join(ch for ch in text if any(ch in kind for kind in _QUOTE_KINDS))
