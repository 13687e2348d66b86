"""File storages: public media, private files (never a public URL), and the errors a remote object store raises.

Design note (issue 17). `.venv/bin/python bench/storage.py --runs 20`: a 2 MB CV sent with the candidate form then
downloaded by an agent, in-process, loopback, 2-core machine shared with other jobs (load average 10.0):

| backend          | upload p50 / p95 | download p50 / p95 |
|------------------|------------------|--------------------|
| filesystem       | 32 / 45 ms       | 12 / 20 ms         |
| S3 (moto_server) | 73 / 107 ms      | 34 / 47 ms         |

- Private files reach users through scoped views that stream them (never a redirect to a signed URL): the access
  check and the audit record happen at each download, the object store needs no public endpoint, no URL that works
  without a session ever reaches a browser, history or a log, and our headers (nosniff, no-store, the file name)
  apply. The price is a worker thread during the transfer; nginx buffers the response, and files are small
  (10 Mo at most for CVs and attachments).
- Wagtail documents share the private bucket: "default" is a router that sends names under `documents/` to the
  private storage and everything else (images, renditions) to the public media storage, so Wagtail's models and
  migrations stay untouched.
- A store that does not answer fails fast (short timeouts, two attempts, config/objectstorage.py): the services that
  store an upload turn `STORE_ERRORS` into a form error before any row is written, and
  common.middleware.StoreUnavailableMiddleware turns the others (downloads) into a 503 page.
- Upload times include the form's PDF check (pypdf reads the whole file), the same on both backends.
"""

import os

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty

# What a remote object store raises when it is down, slow or refuses us (a missing object is FileNotFoundError).
STORE_ERRORS = (BotoCoreError, ClientError)
STORE_UNAVAILABLE_MESSAGE = (
    "Le stockage des fichiers est momentanément indisponible. Réessayez dans quelques minutes : "
    "rien n'a été enregistré."
)
PRIVATE_PREFIXES = ("documents/",)


@deconstructible
class PrivateFileSystemStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read at each use so that a settings change is honoured; no public URL."""

    @property
    def base_location(self):
        return str(self._location or settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Les fichiers privés n'ont pas d'adresse publique.")


class PrivateStorage(LazyObject):
    """storages["private"], looked up again whenever STORAGES changes (a FileField keeps the object it is given)."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


setting_changed.connect(_forget_private_storage, dispatch_uid="common_storage_private_reset")


@deconstructible
class MediaRouterStorage(Storage):
    """The "default" storage: Wagtail documents to storages["private"], everything else to storages["media"]."""

    def backend(self, name: str) -> Storage:
        name = str(name).replace("\\", "/").lstrip("/")
        return storages["private"] if name.startswith(PRIVATE_PREFIXES) else storages["media"]

    def open(self, name, mode="rb"):
        return self.backend(name).open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend(name).save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend(filename).generate_filename(filename)

    def get_available_name(self, name, max_length=None):
        return self.backend(name).get_available_name(name, max_length=max_length)

    def delete(self, name):
        self.backend(name).delete(name)

    def exists(self, name):
        return self.backend(name).exists(name)

    def listdir(self, path):
        return self.backend(path).listdir(path)

    def size(self, name):
        return self.backend(name).size(name)

    def path(self, name):
        return self.backend(name).path(name)

    def url(self, name):
        return self.backend(name).url(name)

    def get_accessed_time(self, name):
        return self.backend(name).get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend(name).get_created_time(name)

    def get_modified_time(self, name):
        return self.backend(name).get_modified_time(name)


def _unwrap(storage) -> Storage:
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        return storage._wrapped
    return storage


def is_remote(storage) -> bool:
    """Whether the storage is an object store (S3) rather than a local folder."""
    from storages.backends.s3 import S3Storage

    return isinstance(_unwrap(storage), S3Storage)


def open_download(storage, name: str):
    """A file-like object that streams the stored file, and its size; FileNotFoundError when it is gone.

    On S3 the object's body is read as it comes (constant memory); django-storages' own file would first copy the
    whole object to memory or a temporary file.
    """
    backend = _unwrap(storage)
    if not is_remote(backend):
        handle = backend.open(name, "rb")
        return handle, handle.size
    try:
        response = backend.bucket.Object(backend._normalize_name(name)).get()
    except ClientError as error:
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
            raise FileNotFoundError(name) from None
        raise
    return response["Body"], response["ContentLength"]


def download_response(storage, name: str, *, filename: str, content_type: str) -> FileResponse:
    """A private file as a download that no browser renders inline nor keeps in a cache."""
    handle, size = open_download(storage, name)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
