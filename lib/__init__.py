"""Union KPI Board library, in packages by job, each importing only those below it:
core → store → ingest → dash, deck → accounts → cli → ui (the only one that imports streamlit)."""
