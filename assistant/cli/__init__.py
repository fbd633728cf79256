"""The command line (`assistant.cli.main:main`, or `python -m assistant.cli`).

Importing this package refuses one import up front: httpx's own command-line client,
`httpx._main`, which `import httpx` loads whenever click is installed (uvicorn installs it),
pulling in click and pygments — 15 ms of every start on a quiet machine, a tenth of a hello-world
Textual app's first paint, for a command nothing here runs. httpx catches the ImportError and
keeps a stub `httpx.main`; nothing else changes (tests/assistant/cli/test_package.py checks both).
"""

import sys

if "httpx" not in sys.modules:  # too late once httpx is in: nothing to save, nothing to change
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
