"""The Dockerfile, linted by hadolint (no Docker engine here), and the build context it receives."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.project_files import ROOT, dockerfile_instruction

HADOLINT = Path(sys.executable).parent / "hadolint"


def hadolint(path: Path) -> subprocess.CompletedProcess:
    """hadolint with the project's configuration (.hadolint.yaml: warnings fail)."""
    return subprocess.run(
        [str(HADOLINT), "--config", str(ROOT / ".hadolint.yaml"), "--no-color", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


class TestHadolint:
    def test_the_dockerfile_has_no_finding(self):
        result = hadolint(ROOT / "Dockerfile")
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.strip() == ""

    def test_it_would_catch_an_unpinned_package_and_a_root_process(self, tmp_path):
        bad = tmp_path / "Dockerfile"
        bad.write_text(
            "FROM python:3.11-slim-bookworm\n"
            "RUN apt-get update && apt-get install -y libpango-1.0-0\n"
            "USER root\n"
            'CMD ["gunicorn"]\n'
        )
        result = hadolint(bad)
        assert result.returncode != 0
        assert "DL3008" in result.stdout and "DL3002" in result.stdout


class TestImage:
    def test_it_runs_the_python_of_the_buildpack_as_an_unprivileged_user(self):
        python = (ROOT / ".python-version").read_text().strip()
        assert dockerfile_instruction("ARG")[0] == f"PYTHON_IMAGE=python:{python}-slim-bookworm"
        assert dockerfile_instruction("USER")[-1] == "10001:10001"

    def test_it_installs_the_pdf_libraries_of_make_pdf_deps(self):
        packages = " ".join(dockerfile_instruction("RUN"))
        makefile = (ROOT / "Makefile").read_text()
        for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
            assert f"{package}=" in packages and package in makefile

    def test_its_health_check_probes_liveness_and_it_exposes_the_default_port(self):
        assert json.loads(dockerfile_instruction("HEALTHCHECK")[0].split(" CMD ", 1)[1]) == [
            "python",
            "deploy/healthcheck.py",
        ]
        assert dockerfile_instruction("EXPOSE") == ["8000"]
        assert "PORT=8000" in dockerfile_instruction("ENV")[0]

    def test_no_secret_is_kept_in_the_image(self):
        env = " ".join(dockerfile_instruction("ENV"))
        assert "SECRET" not in env and "PASSWORD" not in env and "DATABASE_URL" not in env
        assert "--noinput" in " ".join(dockerfile_instruction("RUN"))

    @pytest.mark.parametrize(
        "pattern", [".git", ".venv", ".env", "db.sqlite3*", "media/", "private/", "staticfiles/", "bench/", "tests/"]
    )
    def test_the_build_context_leaves_out_local_state_and_secrets(self, pattern):
        ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
        assert pattern in ignored


class TestBuildTimeCollectstatic:
    def test_the_images_collectstatic_step_loads_the_production_settings_with_its_throw_away_values(self):
        step = next(run for run in dockerfile_instruction("RUN") if "collectstatic" in run)
        assignments = dict(re.findall(r"\b([A-Z][A-Z0-9_]*)=(\S+)", step.split("python", 1)[0]))
        assert set(assignments) == {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"}
        image_env = dict(re.findall(r"\b([A-Z][A-Z0-9_]*)=(\S+)", " ".join(dockerfile_instruction("ENV"))))
        env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **image_env, **assignments}
        result = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--dry-run", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
