"""The Arabic layer every stage shares: character sets, direction and language, and the
lexicon (with its lock)."""
