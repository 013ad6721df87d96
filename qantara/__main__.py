from qantara.cli import app

app(prog_name="qantara")
