"""Content checks of the files joined to a dossier: PDF, PNG or JPEG only, judged by their bytes (magic number, then
a full parse with pypdf or Pillow), 10 Mo each at most, 5 per message; the original name is cleaned for display and
never used as a path."""

import os
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

MAX_SIZE = 10 * 1024 * 1024
MAX_FILES = 5
ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
HELP = "Formats acceptés : PDF, PNG, JPEG. 10 Mo au plus par fichier, 5 fichiers au plus."


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str  # the one the stored file gets
    extensions: tuple[str, ...]  # the ones the original name may have
    label: str


PDF = FileType("application/pdf", ".pdf", (".pdf",), "PDF")
PNG = FileType("image/png", ".png", (".png",), "PNG")
JPEG = FileType("image/jpeg", ".jpg", (".jpg", ".jpeg"), "JPEG")


@dataclass(frozen=True)
class CheckedFile:
    """An uploaded file whose content was checked, with its real type and its cleaned name."""

    upload: object
    type: FileType
    name: str
    size: int


def _sniff(head: bytes) -> FileType | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def clean_name(name: str, file_type: FileType | None = None) -> str:
    """A display name without path, control characters or odd symbols, 120 characters at most."""
    name = unicodedata.normalize("NFKC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = re.sub(r"[^\w .()\-]", "_", name).strip(" .")
    name = re.sub(r"\s+", " ", name)
    stem, extension = os.path.splitext(name)
    if file_type is not None and extension.lower() not in file_type.extensions:
        extension = file_type.extension
    stem = stem[: 120 - len(extension)] or "piece-jointe"
    return f"{stem}{extension.lower()}"


def _parse_pdf(upload, label: str) -> None:
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                f"« {label} » est protégé par un mot de passe : joignez une version sans mot de passe."
            )
        if len(reader.pages) < 1:
            raise ValidationError(f"« {label} » ne contient aucune page.")
        for page in reader.pages:
            page.mediabox  # noqa: B018 — reading every page's box fails on a damaged file
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError):
        raise ValidationError(f"« {label} » n'est pas un PDF lisible (fichier endommagé ?).") from None


def _parse_image(upload, file_type: FileType, label: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                expected = "PNG" if file_type is PNG else "JPEG"
                if image.format != expected:
                    raise ValidationError(f"« {label} » n'est pas une image {file_type.label} valide.")
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(f"« {label} » est une image trop grande.") from None
    except Exception:  # noqa: BLE001 — Pillow raises many kinds of errors on a damaged image
        raise ValidationError(f"« {label} » n'est pas une image {file_type.label} lisible.") from None


def check_file(upload) -> CheckedFile:
    """The checked file, or a ValidationError in French naming it."""
    label = clean_name(getattr(upload, "name", "") or "fichier")
    size = upload.size or 0
    if size > MAX_SIZE:
        raise ValidationError(f"« {label} » dépasse 10 Mo.")
    if size == 0:
        raise ValidationError(f"« {label} » est vide.")
    upload.seek(0)
    file_type = _sniff(upload.read(8))
    upload.seek(0)
    if file_type is None:
        raise ValidationError(f"« {label} » n'est ni un PDF, ni une image PNG ou JPEG.")
    extension = os.path.splitext(label)[1].lower()
    if extension not in file_type.extensions:
        raise ValidationError(
            f"L'extension de « {label} » ne correspond pas à son contenu ({file_type.label}) : renommez-le."
        )
    if file_type is PDF:
        _parse_pdf(upload, label)
    else:
        _parse_image(upload, file_type, label)
    upload.seek(0)
    return CheckedFile(upload=upload, type=file_type, name=clean_name(label, file_type), size=size)


def check_files(uploads) -> list[CheckedFile]:
    """Every file checked (5 at most); the errors of all of them at once."""
    uploads = [upload for upload in uploads or [] if upload]
    if len(uploads) > MAX_FILES:
        raise ValidationError(f"Joignez {MAX_FILES} fichiers au plus ({len(uploads)} sélectionnés).")
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_file(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def _delete_file(sender, instance, **kwargs):
    """A deleted attachment row takes its file along, once the deletion is committed (a rollback keeps both).

    A store that is down then leaves the file behind (the error is logged) rather than failing a committed request.
    """
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name), robust=True)


post_delete.connect(_delete_file, sender="workflows.Attachment", dispatch_uid="workflows_attachment_file_delete")
