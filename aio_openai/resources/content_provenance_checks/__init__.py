"""Content provenance checks: ``/content_provenance_checks``."""

from __future__ import annotations

from ..._resource import APIResource

__all__ = ["ContentProvenanceChecks"]


class ContentProvenanceChecks(APIResource):
    """``client.content_provenance_checks``."""

    __slots__ = ()
