"""SQLite that keeps a closed connection for the next request.

Under ASGI Django runs each request's synchronous code in a thread of its own, so a persistent
connection (CONN_MAX_AGE) is never used again, and every request opens a new one. Opening is
cheap; the first statement on it is not: SQLite reads and parses the whole schema (~2.5 ms for
this project's ~380 tables and indexes, about a tenth of a forum page). With OPTIONS
{"pool": N}, up to N closed connections are kept per database file and handed to the next
request — the SQLite counterpart of PostgreSQL's {"pool": True}. Only connections outside a
transaction are kept; in-memory databases (tests) are never pooled.
"""

import threading

from django.db.backends.sqlite3 import base

_idle: dict[tuple, list] = {}
_lock = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    pool_size = 0

    def get_connection_params(self):
        params = super().get_connection_params()
        self.pool_size = int(params.pop("pool", 0) or 0)
        return params

    def _pool_key(self) -> tuple | None:
        if not self.pool_size or self.is_in_memory_db():
            return None
        return (str(self.settings_dict["NAME"]), tuple(self.init_commands))

    def get_new_connection(self, conn_params):
        key = self._pool_key()
        if key is not None:
            with _lock:
                idle = _idle.get(key)
                conn = idle.pop() if idle else None
            if conn is not None:
                # What Django sets on a new connection, in case a caller changed it.
                conn.execute("PRAGMA foreign_keys = ON")
                return conn
        return super().get_new_connection(conn_params)

    def _close(self):
        conn = self.connection
        key = self._pool_key()
        if conn is not None and key is not None and not conn.in_transaction:
            with _lock:
                idle = _idle.setdefault(key, [])
                if len(idle) < self.pool_size:
                    idle.append(conn)
                    return None
        return super()._close()
