"""One module per producer family; each renders a Document to a PDF."""
