"""What tests and benchmarks share: corpora they build (PDFs, scans, an argos package) and test doubles.

Benchmarks put ``tests/`` on ``sys.path`` and import from here as the tests do
(``from support.pdf_corpus import ...``).
"""
