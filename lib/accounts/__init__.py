"""Accounts: passwords (argon2id), users, sign-in, lockout, the audit log writer, and the backup
and restore of the store (admin operations that are audited). Imports lib.core and lib.store."""
