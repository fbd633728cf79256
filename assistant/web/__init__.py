"""`steeple-assistant web`: the wizard in a browser tab, served by textual-serve on loopback.

`gate.py` decides who may come in (the one-time secret, the session cookie, `Origin` and
`Host`), `session.py` runs one wizard process per browser session, `server.py` is the
textual-serve server with those checks in front, `command.py` turns the TUI's options into the
wizard's command line, and `cli.py` is the subcommand. Nothing here imports Textual: the wizard
runs as a child process (`python -m assistant.cli …`) that textual-serve talks to over pipes.
"""
