"""The Arabic layer every stage shares: character sets and the lexicon (with its lock)."""
