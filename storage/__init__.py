"""Storage: the SQLite database, its migrations and one module per group of tables.

All SQL of the project lives in this package. It imports nothing from `bot`, `handlers` or
`telegram`: it takes and returns plain values.
"""

from storage.db import Database, DatabaseTooNew, DatabaseUnreadable, StorageError

__all__ = ["Database", "DatabaseTooNew", "DatabaseUnreadable", "StorageError"]
