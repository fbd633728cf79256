"""A simulated Microsoft Entra ID tenant whose provisioning client speaks SCIM 2.0 as Entra does.

Library layout: `tenant` (directory model + generator), `changes` (scripted directory changes),
`mappings` (default attribute mappings, SCIM bodies), `dialects` (both PATCH dialects and the
documented variants), `transport` (paced httpx client, Retry-After), `connection` (Test
Connection), `memory` (links, watermark, escrows), `engine` + `groupsync` (one provisioning
cycle), `outcomes` (Microsoft's error codes), `job` (synchronizationJob status, escrow thresholds,
quarantine, scaled clock), `ondemand` (provision on demand), `state` (`--state` files), `host`
(admin endpoint on the sandbox app), `cli`. What it reproduces, and what not: docs/sandbox.md.
"""
