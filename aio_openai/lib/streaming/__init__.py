"""The stream helpers: :mod:`.chat` (``chat.completions.stream()``) and :mod:`.responses`
(``responses.stream()``), with the official SDK's names."""
