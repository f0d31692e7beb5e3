"""The one storage layer every feature shares (SQLAlchemy; SQLite by default, PostgreSQL by URL)."""
