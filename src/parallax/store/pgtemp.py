"""A throwaway PostgreSQL server for tests and benchmarks (Debian's `postgresql` package).

`python -m parallax.store.pgtemp` starts one and prints `PARALLAX_TEST_PG_URL=...`; the test
suite uses `scratch_database_url()`, which prefers that variable and otherwise starts a server
of its own for the session. The server listens on 127.0.0.1 only, on a free port.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ENV_URL = "PARALLAX_TEST_PG_URL"
SUPERUSER = "parallax"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be started here (the message says why)."""


def find_bin(name: str) -> str:
    """Path of a PostgreSQL server program; Debian keeps them out of PATH."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if not candidates:
        raise PostgresUnavailable(f"{name} not found (apt-get install postgresql)")
    return candidates[0]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(argv: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: run them as the `postgres` account then.
    if os.geteuid() != 0:
        return argv
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable("running as root and no `postgres` user exists") from None
    return ["runuser", "-u", "postgres", "--", *argv]


@dataclass
class TempPostgres:
    data_dir: Path
    port: int
    pg_ctl: str

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database on this server; its URL."""
        import psycopg

        name = name or f"t_{secrets.token_hex(6)}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run(
            _as_server_user([self.pg_ctl, "-D", str(self.data_dir), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.data_dir, ignore_errors=True)


def start_postgres(*, durable: bool = False, timeout: int = 60) -> TempPostgres:
    """Start a fresh server in a temporary directory. `durable=False` turns fsync off, which is
    fine for tests (the data is thrown away) but not for throughput measurements."""
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    data_dir = Path(tempfile.mkdtemp(prefix="parallax-pg-"))
    if os.geteuid() == 0:
        _as_server_user(["true"])  # raises when there is no postgres account
        shutil.chown(data_dir, "postgres", "postgres")
    data_dir.chmod(0o700)
    port = free_port()
    done = subprocess.run(
        _as_server_user(
            [initdb, "-D", str(data_dir), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--no-sync"]
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        shutil.rmtree(data_dir, ignore_errors=True)
        raise PostgresUnavailable(f"initdb failed: {done.stderr.strip()[-300:]}")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data_dir}"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    done = subprocess.run(
        _as_server_user(
            [
                pg_ctl,
                "-D",
                str(data_dir),
                "-o",
                options,
                "-l",
                str(data_dir / "server.log"),
                "-w",
                "-t",
                str(timeout),
                "start",
            ]
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        log = (data_dir / "server.log").read_text(errors="replace")[-300:]
        shutil.rmtree(data_dir, ignore_errors=True)
        raise PostgresUnavailable(f"pg_ctl start failed: {done.stderr.strip()} {log}")
    return TempPostgres(data_dir=data_dir, port=port, pg_ctl=pg_ctl)


_session_server: TempPostgres | None = None
_session_error: str | None = None


def scratch_database_url() -> str:
    """A fresh empty database for one test: on the server named by PARALLAX_TEST_PG_URL, or on
    a server started once for this process. PostgresUnavailable says why neither works."""
    global _session_server, _session_error
    configured = os.environ.get(ENV_URL)
    if configured:
        return _database_on(configured)
    if _session_error:
        raise PostgresUnavailable(_session_error)
    if _session_server is None:
        try:
            _session_server = start_postgres()
        except (PostgresUnavailable, OSError) as exc:
            _session_error = f"{ENV_URL} is unset and no server could be started: {exc}"
            raise PostgresUnavailable(_session_error) from None
        atexit.register(_session_server.stop)
    return _session_server.create_database()


def _database_on(url: str) -> str:
    """A new database on the server of `url` (whose user may create databases)."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"t_{secrets.token_hex(6)}"
    conninfo = parsed.set(drivername="postgresql", database=parsed.database or "postgres")
    with psycopg.connect(conninfo.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed.set(database=name).render_as_string(hide_password=False)


if __name__ == "__main__":
    server = start_postgres()
    print(f"{ENV_URL}={server.create_database('parallax_test')}")
    print(f"PARALLAX_TEST_PG_DIR={server.data_dir}")
