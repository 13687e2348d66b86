"""The web, worker and release commands are the same in the Procfile, the Dockerfile, compose.yaml, scalingo.json
and the README."""

import json

import pytest

from tests.deploy.project_files import (
    ROOT,
    compose,
    dockerfile_cmd,
    procfile,
    readme_section,
    words,
)

CONTRACT = {
    "web": "gunicorn config.wsgi --config deploy/gunicorn.conf.py",
    "worker": "python manage.py db_worker",
    "release": "python manage.py migrate --noinput",
}


class TestProcfile:
    def test_it_declares_the_contract_processes(self):
        processes = procfile()
        assert set(processes) == {"web", "worker", "release", "postdeploy"}
        assert words(processes["web"])[:4] == words(CONTRACT["web"])
        assert words(processes["worker"])[:3] == words(CONTRACT["worker"])
        assert processes["release"] == CONTRACT["release"]

    def test_scalingos_postdeploy_hook_is_the_release_command(self):
        processes = procfile()
        assert processes["postdeploy"] == processes["release"]

    @pytest.mark.parametrize(
        ("content", "message"),
        [("web: a\nweb: b\n", "déjà défini"), ("gunicorn config.wsgi\n", "type: commande"), ("Web: a\n", "type")],
    )
    def test_the_reader_refuses_a_malformed_procfile(self, tmp_path, content, message):
        path = tmp_path / "Procfile"
        path.write_text(content)
        with pytest.raises(ValueError, match=message):
            procfile(path)


class TestSameCommandsEverywhere:
    def test_the_image_runs_the_web_process_by_default(self):
        assert dockerfile_cmd() == words(procfile()["web"])

    @pytest.mark.parametrize(("service", "process"), [("web1", "web"), ("web2", "web"), ("worker", "worker")])
    def test_compose_runs_the_procfile_commands(self, service, process):
        assert words(compose()["services"][service]["command"]) == words(procfile()[process])

    def test_compose_migrates_with_the_release_command(self):
        assert words(compose()["services"]["release"]["command"]) == words(procfile()["release"])

    def test_scalingo_runs_the_procfile_processes(self):
        manifest = json.loads((ROOT / "scalingo.json").read_text())
        processes = procfile()
        assert set(manifest["formation"]) <= set(processes) - {"release", "postdeploy"}
        assert manifest["scripts"]["first-deploy"].startswith(processes["release"] + " && ")

    def test_the_readme_production_commands_are_the_procfiles(self):
        section = readme_section("Production")
        for process, command in procfile().items():
            assert f"{process}: {command}" in section, f"README « Production » : la ligne « {process}: » diffère."

    def test_a_changed_command_would_be_caught(self, tmp_path):
        changed = tmp_path / "Procfile"
        changed.write_text((ROOT / "Procfile").read_text().replace("--noinput", ""))
        assert words(procfile(changed)["release"]) != words(compose()["services"]["release"]["command"])
