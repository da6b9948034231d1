"""UI strings per area (core, dashboards, upload, accounts, present): key -> (zh, en)."""
