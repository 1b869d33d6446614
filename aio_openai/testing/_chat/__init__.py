"""Chat completions, legacy completions and embeddings of the fake server: deterministic
answers with ``usage``.

Reached as ``fake.state.chat`` (a :class:`ChatState`):

- The reply to a conversation is scripted (``fake.state.chat.replies[prompt] = reply``, keyed
  by the last user message) or else an echo of the last user message; after a ``tool``
  message, the tool's output is echoed. ``n`` choices all get the reply;
  ``max_tokens``/``max_completion_tokens`` cut it short (``finish_reason`` "length").
- With function ``tools`` (and ``tool_choice`` not "none"), the model calls them instead: the
  named one, else every function (the first only with ``parallel_tool_calls=False``), with
  arguments made from the function's JSON schema and the last user message (see
  :mod:`.._arguments`: ``"What's the weather in Lisbon?"`` gives ``{"city": "Lisbon"}``) and
  ids derived from them.
- ``response_format`` ``json_object`` makes the reply ``{"reply": "..."}``; ``json_schema`` an
  object made from the schema as for tool arguments.
- ``stream=True`` answers with server-sent events, ``data: {chunk}`` frames of ``chunk_size``
  characters (tool call arguments too) and ``data: [DONE]``; with
  ``stream_options={"include_usage": true}`` every chunk has ``"usage": null`` and a last chunk
  with no choices carries the usage. ``line_end`` sets the frames' line ends.
- Embeddings are deterministic unit vectors made from a hash of the model and the input, as
  float32 values (so ``"float"`` and ``"base64"`` answers are exactly the same numbers); a
  ``dimensions`` answer is the full vector cut short and normalized again, as OpenAI does.

Token counts follow the documented estimate (characters / 4, at least 1; a token list counts
its length); a chat prompt also counts 3 tokens per message and 3 more, as OpenAI's chat format
does (so a client's estimate from the characters alone differs, as against the real API).

Legacy completions (``POST /v1/completions``) answer a prompt the same way: scripted by
``replies[prompt]``, else echoed (see :mod:`.legacy`).

Modules: :mod:`.state` (:class:`ChatState`), :mod:`.model` (the answers), :mod:`.legacy`
(legacy completions), :mod:`.checks` (OpenAI's 400s), :mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._chat.routes import add_chat_routes, chat_operations
from aio_openai.testing._chat.state import ChatState

__all__ = ["ChatState", "add_chat_routes", "chat_operations"]
