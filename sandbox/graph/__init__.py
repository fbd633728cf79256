"""Microsoft Graph v1.0 and Entra login emulators over the simulated tenant (`sandbox/entra/`).

They let the assistant's real MSAL sign-in and its typed Graph client run, over TLS, against the
same simulated job the sandbox hosts, so `--sandbox` can use Graph exactly as a real tenant.
"""
