"""The sandbox's Steeple admin API (`/api/admin/v1`): thin routes over `sandbox.domain`."""
