"""scalingo.json follows Scalingo's manifest format and keeps review apps away from production data."""

import json

from tests.deploy.project_files import ROOT, env_example

MANIFEST = json.loads((ROOT / "scalingo.json").read_text())
# Keys and values of https://developers.scalingo.com/scalingo-json-schema (its JSON schema carries no licence, so it
# is not vendored: these are its rules).
TOP_LEVEL = {
    "name",
    "description",
    "website",
    "logo",
    "repository",
    "ref",
    "stack",
    "env",
    "addons",
    "scripts",
    "formation",
}
GENERATORS = {"secret", "url", "template"}
SIZES = {"S", "M", "L", "XL", "2XL"}


class TestScalingoManifest:
    def test_it_uses_only_the_manifest_keys(self):
        assert set(MANIFEST) <= TOP_LEVEL and "name" in MANIFEST
        assert set(MANIFEST["scripts"]) == {"first-deploy"}

    def test_each_variable_has_a_description_and_a_value_or_a_generator(self):
        for name, spec in MANIFEST["env"].items():
            assert spec["description"], name
            assert ("value" in spec) != ("generator" in spec), name
            assert set(spec) <= {"description", "value", "generator", "template", "required"}, name
            if "generator" in spec:
                assert spec["generator"] in GENERATORS, name
                assert (spec["generator"] == "template") <= ("template" in spec), name
            assert name in env_example() or name == "DJANGO_SETTINGS_MODULE", f"{name} absente de .env.example"

    def test_the_secret_key_is_generated_per_app(self):
        assert MANIFEST["env"]["DJANGO_SECRET_KEY"] == {
            "description": MANIFEST["env"]["DJANGO_SECRET_KEY"]["description"],
            "generator": "secret",
        }

    def test_review_apps_never_touch_production_files_or_logins(self):
        for name in ("S3_MEDIA_BUCKET", "S3_PRIVATE_BUCKET", "PROCONNECT_CLIENT_ID"):
            assert MANIFEST["env"][name]["value"] == "", name
        assert "--sans-demo" in MANIFEST["scripts"]["first-deploy"]

    def test_it_provisions_postgresql_and_redis_and_several_web_containers(self):
        plans = {addon["plan"].split(":")[0] for addon in MANIFEST["addons"]}
        assert plans == {"postgresql", "redis"}
        assert MANIFEST["env"]["DATABASE_URL"]["value"] == "$SCALINGO_POSTGRESQL_URL"
        assert MANIFEST["env"]["REDIS_URL"]["value"] == "$SCALINGO_REDIS_URL"
        formation = MANIFEST["formation"]
        assert formation["web"]["amount"] >= 2 and formation["worker"]["amount"] >= 1
        assert all(container["size"] in SIZES for container in formation.values())
