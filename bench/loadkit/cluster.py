"""Several application nodes on loopback: N gunicorn nodes behind nginx, M task workers, Redis and an S3 server.

Every node runs the production settings with the same environment (one PostgreSQL database, one Redis database
of the bench's own for cache, rate limits and counters, one object store), each on a free port of 127.0.0.1. nginx
(Debian's) runs deploy/nginx/cnum.conf as a foreground child process under bench/out/nginx-<name>/, with the `listen`
line set to a free port and an upstream.conf listing the nodes. The object store is moto's standalone server
(in memory: SIGSTOP/SIGCONT pause it without losing objects). Nothing leaves 127.0.0.1.

What the nodes share, and through what (each node keeps nothing of its own between two requests):
- sessions: the database (Django's default engine). Kept rather than cached_db over Redis: shared by construction,
  they survive a Redis restart, and they cost one primary-key read per request, small next to a page's queries;
- login lock-out (django-axes): the database; rate limits (common/throttle.py: cache.add + cache.incr, atomic on
  Redis), menu counts and the other caches: Redis (REDIS_URL; without it each process has its own locmem cache);
- workflow locks: Viewflow's SELECT … FOR UPDATE on PostgreSQL; report tokens: a unique constraint;
- files: the object store (S3_* variables; bench.loadkit.objectstore, the same server the storage tests start);
- background tasks: django-tasks-db rows claimed with FOR UPDATE SKIP LOCKED (tests/config/test_task_workers.py).
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.loadkit import server
from bench.loadkit.objectstore import ObjectStore

NGINX_CONF = server.ROOT / "deploy" / "nginx" / "cnum.conf"
LISTEN_LINE = "    listen 8080;\n"
UPSTREAM_SERVER = "server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n"


def ensure_nginx() -> str:
    """The nginx binary, installed from Debian (nginx-light) when missing."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    server.log("nginx absent : installation du paquet Debian nginx-light")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], check=True, env=env, stdout=subprocess.DEVNULL)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def wait_http(url: str, process: subprocess.Popen, what: str, logpath: Path, timeout: float = 60) -> None:
    """Poll url until it answers 2xx/3xx/4xx; stop with the log's path if the process died or never answered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} s'est arrêté au démarrage : voir {logpath}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"{what} ne répond pas après {timeout:.0f} s : voir {logpath}")


def stop_process(process: subprocess.Popen | None, timeout: float = 20) -> None:
    """SIGTERM the process group, SIGKILL it if it is still there after `timeout`."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Nginx:
    """deploy/nginx/cnum.conf in the foreground, its prefix, pid, logs and temp files under bench/out/nginx-<name>/."""

    def __init__(self, name: str, port: int, upstream_ports: list[int], prefix: Path | None = None):
        self.port = port
        self.prefix = prefix or server.OUT / f"nginx-{name}"
        self.upstream_ports = upstream_ports
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def write_config(self) -> Path:
        """nginx.conf (process, logs, temp paths) including cnum.conf (own listen port) and upstream.conf."""
        self.prefix.mkdir(parents=True, exist_ok=True)
        (self.prefix / "logs").mkdir(exist_ok=True)
        site = NGINX_CONF.read_text()
        if site.count(LISTEN_LINE) != 1:
            raise SystemExit(f"{NGINX_CONF} : la ligne « {LISTEN_LINE.strip()} » est attendue une fois.")
        (self.prefix / "cnum.conf").write_text(site.replace(LISTEN_LINE, f"    listen 127.0.0.1:{self.port};\n"))
        upstream = "".join(UPSTREAM_SERVER.format(port=port) for port in self.upstream_ports)
        (self.prefix / "upstream.conf").write_text(upstream)
        kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        temp = "\n".join(f"    {kind}_temp_path {self.prefix / 'tmp' / kind};" for kind in kinds)
        main = self.prefix / "nginx.conf"
        main.write_text(
            f"""# Generated by bench/loadkit/cluster.py: the bench's nginx around deploy/nginx/cnum.conf.
worker_processes 1;
pid {self.prefix / "nginx.pid"};
error_log {self.prefix / "logs" / "error.log"} warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log {self.prefix / "logs" / "access.log"};
{temp}
    include cnum.conf;
}}
"""
        )
        return main

    def start(self, ready_path: str = "/api/thematiques/") -> None:
        binary = ensure_nginx()
        main = self.write_config()
        (self.prefix / "tmp").mkdir(exist_ok=True)
        check = subprocess.run([binary, "-t", "-p", str(self.prefix), "-c", str(main)], capture_output=True, text=True)
        if check.returncode:
            raise SystemExit(f"configuration nginx refusée :\n{check.stderr}")
        self.logpath = self.prefix / "logs" / "error.log"
        self.process = subprocess.Popen(
            [binary, "-p", str(self.prefix), "-c", str(main), "-g", "daemon off; master_process on;"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.prefix / "logs" / "stderr.log", "w"),
            start_new_session=True,
        )
        wait_http(f"{self.base_url}{ready_path}", self.process, "nginx", self.logpath)
        server.log(f"nginx prêt sur {self.base_url} devant {len(self.upstream_ports)} nœuds")

    def stop(self) -> None:
        stop_process(self.process)


class TaskWorker:
    """`manage.py db_worker` (the Procfile's worker) with its own log."""

    def __init__(self, env: dict, name: str, index: int):
        self.env, self.name = env, f"{name}-worker-{index}"
        self.logpath = server.OUT / f"{self.name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.logfile = open(self.logpath, "w")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval=1", f"--worker-id={self.name}"],
            cwd=server.ROOT,
            env=self.env,
            stdout=self.logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        stop_process(self.process)
        if getattr(self, "logfile", None):
            self.logfile.close()


class Cluster:
    """N gunicorn nodes, nginx in front when N > 1, M task workers, the object store; one shared environment."""

    def __init__(
        self, env: dict, *, name: str, front_port: int, nodes: int, workers: int, threads: int, task_workers: int
    ):
        """front_port: the address of SITE_URL (nginx's with several nodes, the only node's otherwise)."""
        self.name = name
        self.store = ObjectStore(log_dir=str(server.OUT)) if nodes > 1 else None
        self.env = {**env, **(self.store.environment() if self.store else {})}
        ports = [front_port] if nodes == 1 else [server.free_port() for _ in range(nodes)]
        self.nodes = [
            server.Gunicorn(self.env, port, workers, threads, f"{name}-node{index + 1}")
            for index, port in enumerate(ports)
        ]
        self.nginx = Nginx(name, front_port, ports) if nodes > 1 else None
        self.task_workers = [TaskWorker(self.env, name, index + 1) for index in range(task_workers)]

    @property
    def base_url(self) -> str:
        return self.nginx.base_url if self.nginx else self.nodes[0].base_url

    def start(self) -> None:
        try:
            if self.store:
                self.store.start()
            for node in self.nodes:
                node.start()
            if self.nginx:
                self.nginx.start()
            for worker in self.task_workers:
                worker.start()
        except BaseException:
            self.stop()
            raise

    def kill_node(self, index: int) -> list[int]:
        """SIGKILL a whole node: its gunicorn master and every worker at once (a machine that vanishes)."""
        node = self.nodes[index]
        pids = [node.process.pid, *node.worker_pids()]
        os.killpg(node.process.pid, signal.SIGKILL)
        node.process.wait()
        return pids

    def restart_node(self, index: int) -> None:
        """Start the killed node again on its port, as the PaaS supervisor would."""
        self.nodes[index].start()

    def stop(self) -> None:
        for part in [*self.task_workers, self.nginx, *self.nodes, self.store]:
            if part is not None:
                part.stop()
