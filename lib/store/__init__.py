"""The store: engine (DATABASE_URL, SQLite by default), typed models, Alembic migrations, named
queries and the exports of the store's rows. Imports only lib.core."""
