"""Arabic words that open a phrase and so never end a sentence.

Prepositions, conjunctions, relative pronouns and the particles that govern a verb or a
noun need what follows them: in TICO-19 and Tatoeba (about 15,000 of them in 12,500
sentences) one ends a sentence four times, always و. A line ending in one of them goes on.
"""

PHRASE_OPENERS = frozenset(
    "في من إلى الى على عن أن إن التي الذي الذين و مع حتى بين منذ لدى عند نحو ثم أو لكن بل قد لم لن كما حيث".split()
)

# One-letter conjunctions and prepositions Arabic writes glued to the word they govern
# ("وحالة", "بالقرب"), even to a word opening a quotation ('و"حالة').
PROCLITICS = frozenset("وفبلك")
