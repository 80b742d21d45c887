"""A PostgreSQL server for the tests: the one SURVEY_TEST_POSTGRES names, or a throwaway cluster started here.

The throwaway cluster lives in a temporary folder, listens on 127.0.0.1 at a free port (and on a unix socket in
that folder), runs without fsync, and is stopped and deleted at the end of the session (or, should the session be
killed, by a small watcher process once it has gone). initdb refuses to run as
root, so as root the cluster belongs to the `postgres` user (created by Debian's postgresql package) and its
commands run through `runuser -u postgres --`. Each test gets a fresh database copied from a template that
already holds the store's schema.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ENV = "SURVEY_TEST_POSTGRES"
HOW_TO_FIX = (
    "install Debian's postgresql (apt-get install postgresql; .ci/run's `bash scripts/setup --test` does) or set "
    f"{ENV}=postgresql://USER@HOST:PORT/postgres to a server where USER may create databases and roles"
)


class Unavailable(RuntimeError):
    """No PostgreSQL server could be had for the tests."""


def with_database(url: str, name: str) -> str:
    """The URL with its database replaced by `name`."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def with_user(url: str, user: str, password: str) -> str:
    """The URL logging in as `user` with `password`."""
    parts = urlsplit(url)
    host = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
    return parts._replace(netloc=f"{user}:{password}@{host}").geturl()


def bin_dir() -> Path:
    """The folder holding initdb and pg_ctl: beside an initdb on PATH, else Debian's newest version."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if versions:
        return Path(versions[-1]).parent
    raise Unavailable(f"no PostgreSQL server programs (initdb, pg_ctl) on this machine: {HOW_TO_FIX}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """A server the tests may create databases and roles on, through `admin_url` (database postgres)."""

    def __init__(self, admin_url: str, cluster: Path | None = None, as_user: tuple[str, ...] = ()) -> None:
        self.admin_url = admin_url
        self.cluster = cluster  # the throwaway cluster's folder, None for a server given by SURVEY_TEST_POSTGRES
        self._as_user = as_user
        self.template = f"survey_template_{uuid.uuid4().hex[:8]}"

    def admin(self, sql: str) -> None:
        """Run one statement as the administrator, outside any transaction."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]  # test-made SQL, names generated here

    def prepare_template(self) -> None:
        """A database holding an empty store at the latest schema, for fresh databases to copy."""
        from practitioner_survey.store.core import Store

        self.admin(f"CREATE DATABASE {self.template}")
        Store(with_database(self.admin_url, self.template)).close()

    @contextlib.contextmanager
    def database(self, owner: str = "") -> Iterator[str]:
        """A fresh database holding an empty store (or, given an owner, an empty one of theirs), dropped
        afterwards; yields its URL."""
        name = f"survey_test_{uuid.uuid4().hex[:12]}"
        how = f"OWNER {owner} TEMPLATE template0" if owner else f"TEMPLATE {self.template}"
        self.admin(f"CREATE DATABASE {name} {how}")
        try:
            yield with_database(self.admin_url, name)
        finally:
            self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        """Drop the template; stop and delete a throwaway cluster."""
        with contextlib.suppress(Exception):
            self.admin(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
        if self.cluster is not None:
            pg_ctl = str(bin_dir() / "pg_ctl")
            subprocess.run([*self._as_user, pg_ctl, "-D", str(self.cluster / "data"), "-m", "immediate", "stop"],
                           capture_output=True, check=False)  # fmt: skip
            shutil.rmtree(self.cluster, ignore_errors=True)


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-8:])
        raise Unavailable(f"could not {what} a throwaway PostgreSQL cluster ({' '.join(command)}):\n{tail}")


def start_cluster() -> Server:
    """initdb a cluster in a temporary folder and start it on 127.0.0.1 at a free port."""
    bindir = bin_dir()
    root = Path(tempfile.mkdtemp(prefix="survey-pg-"))
    as_user: tuple[str, ...] = ()
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root, ignore_errors=True)
            message = f"running as root but there is no postgres user to own the cluster: {HOW_TO_FIX}"
            raise Unavailable(message) from None
        os.chown(root, owner.pw_uid, owner.pw_gid)
        as_user = ("runuser", "-u", "postgres", "--")
    data, port = root / "data", free_port()
    try:
        _run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8", "--locale=C",
              "--auth=trust"], "create")  # fmt: skip
        # the superuser logs in without a password; every other role needs its password (tests of wrong ones)
        hba = "local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
        subprocess.run([*as_user, "tee", str(data / "pg_hba.conf")], input=hba, text=True, capture_output=True,
                       check=True)  # fmt: skip
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")  # fmt: skip
        _run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-o", options,
              "-w", "-t", "60", "start"], "start")  # fmt: skip
    except BaseException:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, check=False)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)
        raise
    _stop_when_gone(os.getpid(), [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], root)
    return Server(f"postgresql://postgres@127.0.0.1:{port}/postgres", root, as_user)


def _stop_when_gone(pid: int, stop: list[str], root: Path) -> None:
    """A watcher that stops and deletes the cluster once the test process has gone, even killed with -9."""
    script = f"while kill -0 {pid} 2>/dev/null; do sleep 2; done; {shlex.join(stop)}; rm -rf {shlex.quote(str(root))}"
    subprocess.Popen(["sh", "-c", script], start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def server() -> Server:
    """The server SURVEY_TEST_POSTGRES names, or a throwaway cluster; its template database prepared."""
    given = os.environ.get(ENV, "").strip()
    found = Server(given) if given else start_cluster()
    try:
        found.prepare_template()
    except Exception as exc:
        found.stop()
        where = f"the server {ENV} names" if given else "the throwaway cluster"
        raise Unavailable(f"could not create a database on {where}: {exc}: {HOW_TO_FIX}") from exc
    return found
