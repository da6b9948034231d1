"""Upload page (数据上传): templates, a CSV/Excel file checked and previewed, commit, undo.

Thin: the role check here (and again right before every write, in lib.ui.upload); the widgets
live in lib.ui.upload and the work in lib.ingest.importer."""

from lib.ui import upload
from lib.ui.session import require_role

require_role("editor")
upload.page()
