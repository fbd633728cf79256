"""The suite's root: shared fixtures come from one plugin module, `tests/plugin.py`.

Secrets used in tests are planted, recognisable values (`tests/support/sandboxes.ADMIN_KEY`) so
that leak tests can grep for them.
"""

pytest_plugins = ["tests.plugin"]
