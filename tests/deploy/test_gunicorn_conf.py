"""deploy/gunicorn.conf.py as gunicorn itself reads it: values from the environment, refusals, access log."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from bench.loadkit.server import free_port
from tests.deploy.project_files import ROOT

GUNICORN = [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "deploy/gunicorn.conf.py"]
SETTINGS_NAMES = (
    "PORT",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "FORWARDED_ALLOW_IPS",
    "LOG_FORMAT",
)


def environment(tmp_path, **overrides) -> dict:
    """The test settings on an empty SQLite file, without any gunicorn variable of the caller's shell."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_NAMES}
    env.pop("DATABASE_URL", None)
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    env.update(overrides)
    return env


def printed_config(tmp_path, **overrides) -> dict[str, str]:
    """gunicorn's own view of the configuration (--print-config loads the file and the app, then exits)."""
    result = subprocess.run(
        [*GUNICORN, "--print-config"],
        cwd=ROOT,
        env=environment(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, flags=re.M))


class TestConfiguration:
    def test_it_reads_the_platforms_variables(self, tmp_path):
        config = printed_config(
            tmp_path, PORT="5123", WEB_CONCURRENCY="3", GUNICORN_THREADS="4", GUNICORN_TIMEOUT="90"
        )
        assert config["bind"] == "['0.0.0.0:5123']"
        assert (config["workers"], config["threads"], config["timeout"]) == ("3", "4", "90")
        assert config["worker_class"] == "gthread"

    def test_its_defaults_are_2_cores_plus_1_capped_and_the_safe_options(self, tmp_path):
        config = printed_config(tmp_path)
        assert config["workers"] == str(min(2 * len(os.sched_getaffinity(0)) + 1, 8))
        assert config["bind"] == "['0.0.0.0:8000']"
        assert config["max_requests"] == "1000" and config["max_requests_jitter"] == "100"
        assert int(config["graceful_timeout"]) < 30 and int(config["keepalive"]) > 60
        assert config["worker_tmp_dir"] == "/dev/shm"
        assert config["forwarder_headers"] == "[]" and config["control_socket_disable"] == "True"
        assert "%(U)s" in config["access_log_format"]
        assert not {"%(r)s", "%(q)s", "%(f)s"} & set(re.findall(r"%\([a-z]\)s", config["access_log_format"]))

    @pytest.mark.parametrize(
        ("name", "value", "message"),
        [
            ("PORT", "0", "PORT=0 : doit être supérieur ou égal à 1"),
            ("GUNICORN_THREADS", "deux", "GUNICORN_THREADS='deux' : nombre entier attendu"),
            ("WEB_CONCURRENCY", "0", "WEB_CONCURRENCY=0 : doit être supérieur ou égal à 1"),
            ("LOG_FORMAT", "xml", "LOG_FORMAT='xml' : valeurs possibles json, plain"),
        ],
    )
    def test_a_bad_value_stops_start_up_with_a_french_message(self, tmp_path, name, value, message):
        result = subprocess.run(
            [*GUNICORN, "--check-config"],
            cwd=ROOT,
            env=environment(tmp_path, **{name: value}),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode != 0
        assert message in result.stderr


class TestAccessLog:
    @pytest.mark.parametrize("log_format", ["plain", "json"])
    def test_it_logs_the_path_without_query_string_and_masks_signed_links(self, tmp_path, log_format):
        port = free_port()
        env = environment(tmp_path, PORT=str(port), WEB_CONCURRENCY="1", GUNICORN_THREADS="1", LOG_FORMAT=log_format)
        log = tmp_path / "gunicorn.log"
        with log.open("w") as output:
            server = subprocess.Popen(GUNICORN, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            status = None
            deadline = time.monotonic() + 60
            while status is None and time.monotonic() < deadline:
                try:
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}/favicon.ico?token=s3cr3t&q=Dupont",
                        headers={"X-Request-ID": "req-42"},
                    )
                    # The first request loads the application in the worker: a few seconds on a busy machine.
                    with urllib.request.urlopen(request, timeout=60):
                        pass
                except urllib.error.HTTPError as error:
                    status = error.code
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.3)
                else:
                    status = 200
            assert status is not None, log.read_text()
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/invitation/MQ/abc-4f2-secret/", timeout=60)
            except urllib.error.HTTPError:
                pass  # no database here: what matters is the line the access log writes
        finally:
            server.terminate()
            server.wait(timeout=30)
        raw = log.read_text()
        text = raw
        if log_format == "json":
            records = [json.loads(line) for line in raw.splitlines() if line.startswith("{")]
            assert {"gunicorn.error", "gunicorn.access"} <= {record["name"] for record in records}
            text = "\n".join(record["message"] for record in records)
        assert '"GET /favicon.ico" 301' in text and "req-42" in text
        assert '"GET /invitation/[masqué]/"' in text
        assert "s3cr3t" not in raw and "Dupont" not in raw and "abc-4f2-secret" not in raw


class TestMetricsHooks:
    def test_the_master_empties_the_shared_metrics_folder_and_forgets_exited_workers(self, tmp_path, monkeypatch):
        import runpy

        folder = tmp_path / "metrics"
        folder.mkdir()
        (folder / "counter_123.db").write_bytes(b"old run")
        (folder / "gauge_livesum_456.db").write_bytes(b"")
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
        conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))

        conf["on_starting"](None)
        assert folder.is_dir() and list(folder.iterdir()) == []

        (folder / "gauge_livesum_456.db").write_bytes(b"")
        conf["child_exit"](None, type("Worker", (), {"pid": 456})())
        assert not (folder / "gauge_livesum_456.db").exists()
