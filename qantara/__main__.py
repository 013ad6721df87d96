# `python -m qantara`: the command line, which sits above the library (qantara_cli); this
# entry point is run, never imported.
from qantara_cli import app

app(prog_name="qantara")
