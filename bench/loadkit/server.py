"""Loopback test bed: a throw-away PostgreSQL database seeded with the demo, and gunicorn with production settings."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
SEED_COMMANDS = [
    ["migrate", "--noinput"],
    ["load_territories"],
    ["load_hubs"],
    ["seed_content"],
    ["seed_demo"],
]


def log(message: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def database_url(name: str) -> str:
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


def psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", "-h", PG["host"], "-p", str(PG["port"]), "-U", PG["user"], "-d", database, "-tAq", "-c", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def redis_url(db: int) -> str:
    """The bench's own Redis database on the shared server, emptied first (FLUSHDB of that database only)."""
    import redis

    url = f"redis://127.0.0.1:6379/{db}"
    redis.Redis.from_url(url).flushdb()
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database: str, port: int) -> dict:
    """Environment of config.settings.production for a loopback run (plain HTTP behind a pretend TLS proxy).

    The clients send X-Forwarded-Proto: https as the reverse proxy would, so secure cookies and the CSRF origin
    check work as in production; SSL redirect is off because nothing terminates TLS on loopback.
    """
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_BEHIND_PROXY="1",
        SITE_URL=f"http://127.0.0.1:{port}",
        DATABASE_URL=database_url(database),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict, *args: str, logfile) -> None:
    """Run one manage.py command, its output to the log file; raise with the log's path on failure."""
    logfile.write(f"\n$ manage.py {' '.join(args)}\n")
    logfile.flush()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} a échoué : voir {logfile.name}")


def prepare_database(name: str, *, fresh: bool, env: dict, collectstatic: bool = True) -> None:
    """Create (or recreate with fresh) the bench database, seed it once, and collect the static files."""
    OUT.mkdir(parents=True, exist_ok=True)
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
    if exists and fresh:
        log(f"Suppression de la base {name}")
        psql(f'DROP DATABASE "{name}" WITH (FORCE)')
        exists = False
    with open(OUT / f"{name}-setup.log", "a") as logfile:
        if not exists:
            log(f"Création de la base {name} : migrations, territoires, contenus, démo (2 à 3 minutes)")
            psql(f'CREATE DATABASE "{name}"')
            for command in SEED_COMMANDS:
                manage(env, *command, logfile=logfile)
        else:
            log(f"Base {name} réutilisée (--fresh pour la recréer) ; migrations appliquées si besoin")
            manage(env, "migrate", "--noinput", logfile=logfile)
        if collectstatic or not (ROOT / "staticfiles" / "staticfiles.json").exists():
            manage(env, "collectstatic", "--noinput", logfile=logfile)


def django_helper(env: dict, *args: str) -> dict:
    """Run bench.loadkit.fixtures in the bench database and return the JSON it prints."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.loadkit.fixtures", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"bench.loadkit.fixtures {args[0]} a échoué :\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


class Gunicorn:
    """A gunicorn master on 127.0.0.1 with N sync-thread workers; it respawns a killed worker by itself."""

    def __init__(self, env: dict, port: int, workers: int, threads: int, name: str):
        self.env, self.port, self.workers, self.threads = env, port, workers, threads
        self.logpath = OUT / f"{name}-gunicorn.log"
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        # Appended: a node restarted by the fault run keeps the log of its first life.
        self.logfile = open(self.logpath, "a")
        config = ROOT / "deploy" / "gunicorn.conf.py"
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            *([f"--config={config}"] if config.exists() else []),
            f"--workers={self.workers}",
            f"--threads={self.threads}",
            f"--bind=127.0.0.1:{self.port}",
            "--timeout=60",
            "--graceful-timeout=10",
            # Longer than nginx's idle keep-alive to the nodes (deploy/nginx/cnum.conf): nginx closes first.
            "--keep-alive=75",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.logfile, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn s'est arrêté au démarrage : voir {self.logpath}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/api/thematiques/", timeout=5) as response:
                    if response.status == 200:
                        log(f"gunicorn prêt sur {self.base_url} ({self.workers} workers × {self.threads} threads)")
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"gunicorn ne répond pas après {timeout:.0f} s : voir {self.logpath}")

    def worker_pids(self) -> list[int]:
        """The current workers: children of the master."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def kill_worker(self) -> int:
        """SIGKILL one worker (the master notices and forks a new one); returns its pid."""
        pids = self.worker_pids()
        if not pids:
            raise RuntimeError("aucun worker gunicorn trouvé")
        os.kill(pids[0], signal.SIGKILL)
        return pids[0]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if getattr(self, "logfile", None):
            self.logfile.close()


def restart_postgresql() -> float:
    """Restart the PostgreSQL cluster (fast shutdown: every connection is cut); returns how long it took."""
    started = time.monotonic()
    subprocess.run(["pg_ctlcluster", "15", "main", "restart", "--", "-m", "fast"], check=True)
    return time.monotonic() - started
