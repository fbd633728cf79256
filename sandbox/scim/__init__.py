"""The sandbox's SCIM 2.0 service provider (`/scim/v2`)."""
