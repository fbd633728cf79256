"""The Steeple domain of the sandbox: SSO, the Azure AD integration, accounts and activation.

Plain functions over the one `sqlite3` connection, free of HTTP: the admin routes and the SCIM
hooks (`sandbox/directory.py`) both call them, so the rules live in one place.
"""
