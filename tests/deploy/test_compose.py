"""compose.yaml: valid against the Compose Specification schema, and consistent with nginx and .env.example."""

import copy
import json
import re

import jsonschema
import pytest

from tests.deploy.project_files import ROOT, compose, env_example

SCHEMA = json.loads((ROOT / "tests" / "deploy" / "schemas" / "compose-spec.json").read_text())
APP_SERVICES = ("buckets", "release", "web1", "web2", "worker")


def schema_errors(document: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA)
    return [f"{'/'.join(map(str, error.path))}: {error.message}" for error in validator.iter_errors(document)]


class TestSpecification:
    def test_compose_yaml_follows_the_compose_specification(self):
        assert schema_errors(compose()) == []

    @pytest.mark.parametrize(
        "breakage",
        [
            lambda doc: doc["services"]["web1"].update(comand=["gunicorn"]),
            lambda doc: doc["services"]["db"]["healthcheck"].update(tset=["CMD", "true"]),
            lambda doc: doc["services"]["nginx"].update(ports="8080:80"),
            lambda doc: doc["services"]["web1"]["depends_on"]["db"].update(condition="service_ready"),
        ],
    )
    def test_the_validation_catches_a_mistake(self, breakage):
        document = copy.deepcopy(compose())
        breakage(document)
        assert schema_errors(document) != []


class TestPlatform:
    def test_it_runs_the_whole_platform(self):
        services = compose()["services"]
        assert set(services) == {"db", "redis", "objects", "buckets", "release", "web1", "web2", "worker", "nginx"}
        assert services["db"]["image"].startswith("postgres:15")
        assert services["redis"]["image"].startswith("redis:7")

    def test_the_app_waits_for_healthy_services_migrations_and_buckets(self):
        services = compose()["services"]
        for name in ("web1", "web2", "worker"):
            conditions = {service: rule["condition"] for service, rule in services[name]["depends_on"].items()}
            assert conditions == {
                "db": "service_healthy",
                "redis": "service_healthy",
                "buckets": "service_completed_successfully",
                "release": "service_completed_successfully",
            }
        assert services["nginx"]["depends_on"] == {
            "web1": {"condition": "service_healthy"},
            "web2": {"condition": "service_healthy"},
        }
        for name in ("db", "redis", "objects", "web1", "web2", "nginx"):
            assert services[name]["healthcheck"]["test"], name

    def test_every_app_container_shares_the_database_cache_and_object_store(self):
        services = compose()["services"]
        for name in APP_SERVICES:
            environment = services[name]["environment"]
            assert environment["DATABASE_URL"].split("@")[1] == "db:5432/cnum"
            assert environment["REDIS_URL"] == "redis://redis:6379/0"
            assert environment["S3_ENDPOINT_URL"] == "http://objects:9000"
            assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
            assert services[name]["env_file"] == ".env"
            assert "volumes" not in services[name], f"{name} : pas d'état sur le disque local d'un nœud"


class TestNginx:
    def test_the_upstream_lists_exactly_the_web_nodes(self):
        upstream = (ROOT / "deploy" / "nginx" / "upstream.compose.conf").read_text()
        nodes = set(re.findall(r"^server (\w+):8000 ", upstream, flags=re.M))
        web_nodes = {name for name, service in compose()["services"].items() if name.startswith("web")}
        assert nodes == web_nodes == {"web1", "web2"}
        assert all(compose()["services"][node]["environment"]["PORT"] == "8000" for node in nodes)

    def test_nginx_publishes_and_probes_the_port_cnum_conf_listens_on(self):
        conf = ROOT / "deploy" / "nginx" / "cnum.conf"
        listen = re.search(r"^\s*listen (\d+);", conf.read_text(), flags=re.M).group(1)
        nginx = compose()["services"]["nginx"]
        assert [port.rsplit(":", 1)[1] for port in nginx["ports"]] == [listen]
        assert f"http://127.0.0.1:{listen}/sante/vivant/" in nginx["healthcheck"]["test"]

    def test_nginx_uses_the_clusters_configuration_and_the_compose_upstream(self):
        volumes = compose()["services"]["nginx"]["volumes"]
        assert "./deploy/nginx/cnum.conf:/etc/nginx/conf.d/default.conf:ro" in volumes
        assert "./deploy/nginx/upstream.compose.conf:/etc/nginx/upstream.conf:ro" in volumes


class TestVariables:
    def test_every_variable_compose_interpolates_is_in_env_example(self):
        names = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (ROOT / "compose.yaml").read_text()))
        assert names, "compose.yaml interpole des variables de .env"
        assert names - set(env_example()) == set()
