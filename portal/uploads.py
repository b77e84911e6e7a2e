"""Checking that an uploaded document really is what its extension says, before Wagtail stores it."""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

import filetype

SNIFF_BYTES = 8192
TEXT_EXTENSIONS = frozenset({"txt", "csv"})
# Office files are zip archives; when filetype only sees "zip", the member that defines the format decides.
ZIP_FORMATS = {
    "docx": ("word/document.xml", None),
    "xlsx": ("xl/workbook.xml", None),
    "odt": ("mimetype", b"application/vnd.oasis.opendocument.text"),
    "ods": ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
}
CONTROL_BYTES = bytes(range(32)).replace(b"\t", b"").replace(b"\n", b"").replace(b"\r", b"").replace(b"\f", b"")


def _zip_is(file: File, extension: str) -> bool:
    member, expected = ZIP_FORMATS[extension]
    try:
        with zipfile.ZipFile(file) as archive:
            if member not in archive.namelist():
                return False
            return expected is None or archive.read(member).strip() == expected
    except zipfile.BadZipFile:
        return False


def _looks_like_text(head: bytes) -> bool:
    return not any(byte in CONTROL_BYTES for byte in head)


def check_document_content(file: File) -> None:
    """Refuse a file whose content does not match its extension, e.g. a program renamed to '.pdf'.

    Extensions that are not checked here are left to Wagtail's own WAGTAILDOCS_EXTENSIONS rule.
    """
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    detected = filetype.guess(head)
    found = detected.extension if detected else None
    if extension in TEXT_EXTENSIONS:
        matches = detected is None and _looks_like_text(head)
    elif extension in ZIP_FORMATS:
        matches = found == extension or (found in ("zip", "docx", "xlsx", "odt", "ods") and _zip_is(file, extension))
        file.seek(0)
    elif extension == "pdf":
        matches = found == "pdf"
    else:
        return
    if not matches:
        content = found.upper() if found else _("something else")
        raise ValidationError(
            _(
                "This file ends in .%(extension)s, but its content is %(content)s. Only real %(upper)s files "
                "are accepted: open the document and save or export it again as %(upper)s."
            )
            % {"extension": extension, "content": content, "upper": extension.upper()},
            code="content_mismatch",
        )
