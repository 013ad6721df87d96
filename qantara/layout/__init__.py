"""Page layout shared by the PDF and OCR readers: glyphs, lines, columns and blocks."""
