"""Admin forms of the portal: the document upload form that checks a file's content against its extension."""

from wagtail.documents.forms import BaseDocumentForm

from .uploads import check_document_content


class CheckedDocumentForm(BaseDocumentForm):
    """Wagtail's document form (single and multiple upload), refusing files disguised as another type.

    Used through the WAGTAILDOCS_DOCUMENT_FORM_BASE setting; the size limit is Wagtail's own
    WAGTAILDOCS_MAX_UPLOAD_SIZE.
    """

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            check_document_content(file)
        return file
