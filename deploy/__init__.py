"""Deployment recipe: several Streamlit app servers behind nginx, sharing one PostgreSQL store."""
