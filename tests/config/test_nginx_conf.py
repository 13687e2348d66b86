"""deploy/nginx/cnum.conf: body size matches the application's limits, and, run by Debian's nginx in front of two
throw-away backends, a node that refuses connections is skipped while a POST that reached a node is never re-sent."""

import re
import shutil
import socket
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

from bench.loadkit import cluster
from bench.loadkit.server import free_port
from workflows import attachments

CONF = cluster.NGINX_CONF.read_text()
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx absent (make bench-deps)")


def directive(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", CONF, flags=re.MULTILINE)


def megabytes(value: str) -> int:
    assert value.endswith("m"), value
    return int(value[:-1]) * 1024 * 1024


class TestConfiguration:
    def test_the_body_limit_lets_the_largest_form_through_and_not_much_more(self):
        (limit,) = directive("client_max_body_size")
        largest = max(
            attachments.MAX_FILES * attachments.MAX_SIZE,
            settings.CV_MAX_BYTES,
            settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        )
        assert largest < megabytes(limit) <= largest + 4 * 1024 * 1024

    def test_only_connection_failures_are_retried_and_never_a_post(self):
        (retried,) = directive("proxy_next_upstream")
        assert set(retried.split()) == {"error", "timeout"}, "never non_idempotent, never http_5xx"
        (window,) = directive("proxy_next_upstream_timeout")
        (read,) = directive("proxy_read_timeout")
        assert int(window.rstrip("s")) < int(read.rstrip("s")), "a slow answer must not be retried elsewhere"

    def test_the_nodes_come_from_upstream_conf_and_the_client_address_is_forwarded(self):
        assert re.search(r"upstream cnum_app \{\s*include upstream\.conf;", CONF)
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in CONF
        assert "proxy_set_header X-Forwarded-Proto $cnum_forwarded_proto;" in CONF
        assert CONF.count(cluster.LISTEN_LINE) == 1, "the bench rewrites this one listen line"

    def test_answers_are_not_compressed_twice(self):
        assert directive("gzip") == ["off"]


class Backend(ThreadingHTTPServer):
    """A node that answers 200 naming itself, or, on /drop, reads the request and hangs up without answering."""

    def __init__(self, name: str):
        self.name, self.seen, self.lock = name, [], threading.Lock()
        super().__init__(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def count(self, method: str, path: str) -> int:
        with self.lock:
            return self.seen.count((method, path))


class Handler(BaseHTTPRequestHandler):
    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        with self.server.lock:
            self.server.seen.append((self.command, self.path))
        if self.path == "/drop" and self.server.name == "dropper":
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        body = self.server.name.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def proxy(tmp_path):
    """nginx with cnum.conf in front of a dead port, a node that hangs up on /drop, and a healthy node."""
    dropper, healthy = Backend("dropper"), Backend("healthy")
    nodes = [free_port(), dropper.server_port, healthy.server_port]
    nginx = cluster.Nginx("test", free_port(), nodes, prefix=tmp_path)
    nginx.start(ready_path="/ready")
    yield nginx, dropper, healthy
    nginx.stop()
    for backend in (dropper, healthy):
        backend.shutdown()
        backend.server_close()


def call(url: str, method: str) -> tuple[int, str]:
    data = b"x=1" if method == "POST" else None
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@needs_nginx
class TestRunningProxy:
    def test_a_node_that_refuses_connections_is_skipped_even_for_a_post(self, proxy):
        nginx, _, healthy = proxy
        answers = [call(f"{nginx.base_url}/page", method) for method in ("GET", "POST") * 4]
        assert all(status == 200 for status, _ in answers), answers
        assert healthy.count("POST", "/page") + proxy[1].count("POST", "/page") == 4

    def test_a_post_that_reached_a_node_is_never_sent_to_another(self, proxy):
        nginx, dropper, healthy = proxy
        answers = [call(f"{nginx.base_url}/drop", "POST") for _ in range(6)]
        failed = [(status, body) for status, body in answers if status != 200]
        assert dropper.count("POST", "/drop") == len(failed) >= 1
        assert healthy.count("POST", "/drop") == len(answers) - len(failed), "a dropped POST was re-sent"
        assert all(status == 503 and 'lang="fr"' in body and "indisponible" in body for status, body in failed)

    def test_a_get_that_reached_a_failing_node_is_retried_on_another(self, proxy):
        nginx, dropper, _ = proxy
        answers = [call(f"{nginx.base_url}/drop", "GET") for _ in range(6)]
        assert [status for status, _ in answers] == [200] * 6
        assert {body for _, body in answers} == {"healthy"}
        assert dropper.count("GET", "/drop") >= 1
