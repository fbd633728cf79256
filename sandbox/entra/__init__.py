"""A simulated Microsoft Entra ID tenant whose provisioning client speaks SCIM 2.0 as Entra does.

Library layout: `tenant` (directory model + generator), `mappings` (default attribute mappings,
SCIM bodies and both PATCH dialects), `transport` (paced httpx client), `connection` (Test
Connection), `engine` (one provisioning cycle), `job` (synchronizationJob status, escrow,
quarantine, scaled clock), `host` (admin endpoint on the sandbox app), `cli`.
"""
