"""A real S3-compatible server for the storage tests: moto's standalone server, one per xdist worker.

bench/loadkit/objectstore.py starts it on a free loopback port with the two buckets the README asks for (the media
one readable by anyone through its bucket policy, the private one not) and stops it when the worker's session ends.
The `s3` fixture points STORAGES at it through the project's own settings block (config.objectstorage), fed the
S3_* variables a deployment would set.
"""

import pytest

from bench.loadkit.objectstore import ObjectStore, free_port
from config.objectstorage import S3_VARIABLES, object_storage


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto_server for this worker's session, with a media and a private bucket."""
    with ObjectStore(log_dir=str(tmp_path_factory.mktemp("moto"))) as store:
        yield store


def use_environment(monkeypatch, settings, environment: dict[str, str]):
    """Set the S3_* variables and STORAGES as the settings block derives them from those variables."""
    for name in S3_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    configured = object_storage()
    settings.STORAGES = {**configured.storages, "staticfiles": settings.STORAGES["staticfiles"]}
    return configured


def closed_endpoint() -> str:
    """An address where nothing listens: every call to the store fails at once."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(autouse=True)
def _local_folders(settings, tmp_path):
    """Files of the filesystem backend land in this test's folder, never in the working copy."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def s3(s3_server, monkeypatch, settings):
    """STORAGES on the moto server for one test, its buckets empty."""
    s3_server.empty()
    use_environment(monkeypatch, settings, s3_server.environment())
    return s3_server


@pytest.fixture
def s3_down(s3_server, monkeypatch, settings):
    """STORAGES on an endpoint where nothing listens."""
    use_environment(monkeypatch, settings, s3_server.environment(endpoint=closed_endpoint()))
    return s3_server


@pytest.fixture(params=["filesystem", "s3"])
def backend(request):
    """Each test that takes it runs twice: on the local folders (the default) and on the S3 server."""
    if request.param == "s3":
        request.getfixturevalue("s3")
    return request.param
