"""Helpers built on the endpoints, at the official SDK's module paths (``openai.lib``)."""
