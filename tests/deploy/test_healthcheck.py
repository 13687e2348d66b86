"""deploy/healthcheck.py, the container probe: 0 only when the liveness endpoint answers 200."""

import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.deploy.project_files import ROOT

SCRIPT = ROOT / "deploy" / "healthcheck.py"


def server_answering(status: int) -> ThreadingHTTPServer:
    """A loopback HTTP server on a free port answering `status` on /sante/vivant/ and 404 elsewhere."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status if self.path == "/sante/vivant/" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def probe(port: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={**os.environ, "PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


class TestHealthcheck:
    @pytest.mark.parametrize(("status", "code"), [(200, 0), (503, 1), (500, 1)])
    def test_it_reports_the_liveness_answer(self, status, code):
        server = server_answering(status)
        try:
            assert probe(server.server_address[1]).returncode == code
        finally:
            server.shutdown()

    def test_a_process_that_does_not_answer_is_unhealthy(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        result = probe(port)
        assert result.returncode == 1 and "Sonde de vie en échec" in result.stderr
