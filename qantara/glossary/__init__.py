"""The controlled glossary: reading, checking and matching it (:mod:`.matcher`), names through
translation (:mod:`.names`), suggestions (:mod:`.suggest`) and TBX export (:mod:`.tbx`)."""

from .matcher import (
    COLUMNS,
    TYPES,
    Glossary,
    GlossaryEntry,
    GlossaryProblem,
    build_glossary,
    check_glossary,
    find_names,
    load_glossary,
    normalize_arabic,
)

__all__ = [
    "COLUMNS", "TYPES", "Glossary", "GlossaryEntry", "GlossaryProblem", "build_glossary",
    "check_glossary", "find_names", "load_glossary", "normalize_arabic",
]
