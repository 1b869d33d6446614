"""API resources; the tree mirrors the URL tree."""
