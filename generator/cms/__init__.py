"""Web editing with Decap CMS: the admin config derived from the schema, the admin page,
and `dvk edit` (preview + Decap's local backend). See generator/cms/config.py."""

from __future__ import annotations

import os

from .config import LOCAL_BACKEND_PORT, CmsOptions

LOCAL_PORT_ENV = "DVK_CMS_LOCAL_PORT"  # set by `dvk edit`: the admin then talks to decap-server


def admin_options(backend: dict, editorial_workflow: bool, content_dir: str, site_url: str) -> CmsOptions:
    """The CMS options of one build: mkdocs.yml's plugin options, plus the local backend
    when `dvk edit` runs the build (it exports the port decap-server listens on)."""
    port = os.environ.get(LOCAL_PORT_ENV, "")
    return CmsOptions(
        backend=dict(backend),
        local_backend=port.isdigit(),
        local_port=int(port) if port.isdigit() else LOCAL_BACKEND_PORT,
        editorial_workflow=editorial_workflow,
        content_dir=content_dir.strip("/") or "content",
        site_url=site_url,
    )
