"""Admin forms of the portal: the login form, and the document upload form that checks a file's content."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm
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


class AdminLoginForm(LoginForm):
    """Wagtail's login form with a translated label on the password (used through WAGTAILADMIN_USER_LOGIN_FORM).

    Wagtail declares the field without a label, so Django labels it with the field's name, "Password",
    which no catalogue translates.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
