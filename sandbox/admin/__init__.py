"""The sandbox's Steeple admin API (`/api/admin/v1`)."""
