"""The SDK's beta helpers (``openai.lib.beta``)."""
