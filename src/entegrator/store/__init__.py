"""store — persistence: database engine and schema, migrations, durable jobs, audit log, archive.

SQLAlchemy 2 on SQLite (embedded default, WAL) and PostgreSQL (production).
"""
