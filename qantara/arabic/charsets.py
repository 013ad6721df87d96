"""Arabic character ranges the stages share, as the insides of regular-expression classes.

One definition each, so that "an Arabic letter" or "a diacritic" means the same in the PDF
reader, the repair steps, OCR post-correction and the glossary.
"""

# Letters: hamza to yeh, and alef wasla to yeh barree (Persian and Urdu letters included,
# which some PDF fonts map Arabic glyphs to).
LETTERS = "\u0621-\u064a\u0671-\u06d3"
# Diacritics that sit on a letter: fathatan to the marks after sukun, and superscript alef.
MARKS = "\u064b-\u065f\u0670"
TATWEEL = "\u0640"
# The presentation forms PDF fonts map Arabic glyphs to (shaped letters and ligatures).
PRESENTATION_FORMS = "\ufb50-\ufdff\ufe70-\ufefc"
# Anything in Arabic script: the Arabic block, its supplement and the presentation forms.
SCRIPT = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
