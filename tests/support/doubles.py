"""Test doubles shared by the unit tests (not a test module)."""

from __future__ import annotations


class RecordingTranslator:
    """'Translates' by tagging each input; counts model calls and records what each call got."""

    def __init__(self, template: str = "EN({})"):
        self.template = template
        self.calls = 0
        self.seen: list[list[str]] = []

    def translate(self, sentences):
        self.calls += 1
        self.seen.append(list(sentences))
        return [self.template.format(s) for s in sentences]
