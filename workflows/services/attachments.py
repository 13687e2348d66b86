"""Attachments of a dossier: stored in private storage under a random name (their file goes with their row: see
workflows/attachments.py)."""

from django.core.exceptions import ValidationError

from common.storage import STORE_ERRORS, STORE_UNAVAILABLE_MESSAGE
from workflows.attachments import CheckedFile
from workflows.models import Attachment


def attachment_store(
    *, checked: CheckedFile, kind: str, subject_id: int, audience: str, message=None, user=None, label=""
) -> Attachment:
    """Save one checked file; the stored name is random and carries the extension of the real content type."""
    upload = checked.upload
    upload.name = f"piece{checked.type.extension}"  # upload_to keeps only this extension
    try:
        return Attachment.objects.create(
            kind=kind,
            subject_id=subject_id,
            message=message,
            audience=audience,
            file=upload,
            original_name=checked.name,
            content_type=checked.type.content_type,
            size=checked.size,
            uploaded_by=user if user is not None and user.is_authenticated else None,
            uploaded_by_label=label[:255],
        )
    except STORE_ERRORS:
        # Raised before the row is inserted: the caller's transaction rolls back the message too.
        raise ValidationError(STORE_UNAVAILABLE_MESSAGE) from None


def attachments_delete(attachments) -> int:
    """Delete attachment rows; their files go once the transaction commits (see the receiver below)."""
    count = 0
    for attachment in attachments:
        attachment.delete()
        count += 1
    return count
