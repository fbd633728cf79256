"""Everything that speaks to Microsoft Entra: MSAL sign-in, the typed Graph client, its models.

No Textual here (as in all of `assistant/`); the screens get these objects from outside.
"""
