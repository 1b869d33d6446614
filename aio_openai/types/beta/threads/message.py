"""The Message object: content blocks, text annotations and attachments (v1 and v2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

import attrs

from ...._models import BaseObject
from .._unions import register_union
from ..tools import CodeInterpreterTool, UnknownTool

__all__ = [
    "Annotation",
    "Attachment",
    "AttachmentTool",
    "FileCitation",
    "FileCitationAnnotation",
    "FilePath",
    "FilePathAnnotation",
    "FileSearchAttachmentTool",
    "ImageFile",
    "ImageFileContentBlock",
    "ImageURL",
    "ImageURLContentBlock",
    "Message",
    "MessageContent",
    "MessageContentPartParam",
    "MessageDeleted",
    "MessageIncompleteDetails",
    "RefusalContentBlock",
    "Text",
    "TextContentBlock",
    "UnknownAnnotation",
    "UnknownContentBlock",
]


# -- text annotations -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FileCitation(BaseObject):
    """The file a citation points at (``quote`` in v1 only)."""

    file_id: str | None = None
    quote: str | None = None


@attrs.frozen(kw_only=True)
class FileCitationAnnotation(BaseObject):
    """A citation of a file in the message text."""

    type: Literal["file_citation"] = "file_citation"
    text: str | None = None
    file_citation: FileCitation | None = None
    start_index: int | None = None
    end_index: int | None = None


@attrs.frozen(kw_only=True)
class FilePath(BaseObject):
    """The file a path annotation points at."""

    file_id: str | None = None


@attrs.frozen(kw_only=True)
class FilePathAnnotation(BaseObject):
    """A path to a file the code interpreter made."""

    type: Literal["file_path"] = "file_path"
    text: str | None = None
    file_path: FilePath | None = None
    start_index: int | None = None
    end_index: int | None = None


@attrs.frozen(kw_only=True)
class UnknownAnnotation(BaseObject):
    """An annotation of a type this package does not know (keys in ``model_extra``)."""

    type: str


Annotation: TypeAlias = FileCitationAnnotation | FilePathAnnotation | UnknownAnnotation

register_union(
    Annotation,
    {"file_citation": FileCitationAnnotation, "file_path": FilePathAnnotation},
    fallback=UnknownAnnotation,
)


# -- content blocks ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Text(BaseObject):
    """Text and its annotations."""

    value: str
    annotations: list[Annotation] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class TextContentBlock(BaseObject):
    """A text block."""

    text: Text
    type: Literal["text"] = "text"


@attrs.frozen(kw_only=True)
class ImageFile(BaseObject):
    """An uploaded image file."""

    file_id: str
    detail: Literal["auto", "low", "high"] | str | None = None


@attrs.frozen(kw_only=True)
class ImageFileContentBlock(BaseObject):
    """An image file block."""

    image_file: ImageFile
    type: Literal["image_file"] = "image_file"


@attrs.frozen(kw_only=True)
class ImageURL(BaseObject):
    """An image on the web (v2)."""

    url: str
    detail: Literal["auto", "low", "high"] | str | None = None


@attrs.frozen(kw_only=True)
class ImageURLContentBlock(BaseObject):
    """An image URL block (v2)."""

    image_url: ImageURL
    type: Literal["image_url"] = "image_url"


@attrs.frozen(kw_only=True)
class RefusalContentBlock(BaseObject):
    """The model's refusal (v2)."""

    refusal: str
    type: Literal["refusal"] = "refusal"


@attrs.frozen(kw_only=True)
class UnknownContentBlock(BaseObject):
    """A content block of a type this package does not know (keys in ``model_extra``)."""

    type: str


MessageContent: TypeAlias = (
    TextContentBlock
    | ImageFileContentBlock
    | ImageURLContentBlock
    | RefusalContentBlock
    | UnknownContentBlock
)
"""A block of a message's content, tagged on ``type``."""

MessageContentPartParam: TypeAlias = (
    TextContentBlock | ImageFileContentBlock | ImageURLContentBlock | Mapping[str, Any]
)
"""A content part as an input (v2): ``{"type": "text", "text": "..."}``, an image, or a dict."""

register_union(
    MessageContent,
    {
        "text": TextContentBlock,
        "image_file": ImageFileContentBlock,
        "image_url": ImageURLContentBlock,
        "refusal": RefusalContentBlock,
    },
    fallback=UnknownContentBlock,
)


# -- attachments (v2) -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FileSearchAttachmentTool(BaseObject):
    """The file search tool of an attachment."""

    type: Literal["file_search"] = "file_search"


AttachmentTool: TypeAlias = CodeInterpreterTool | FileSearchAttachmentTool | UnknownTool

register_union(
    AttachmentTool,
    {"code_interpreter": CodeInterpreterTool, "file_search": FileSearchAttachmentTool},
    fallback=UnknownTool,
)


@attrs.frozen(kw_only=True)
class Attachment(BaseObject):
    """A file attached to a message and the tools it is for (v2; v1 used ``file_ids``)."""

    file_id: str | None = None
    tools: list[AttachmentTool] | None = None


# -- the message ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MessageIncompleteDetails(BaseObject):
    """Why a message is incomplete."""

    reason: (
        Literal["content_filter", "max_tokens", "run_cancelled", "run_expired", "run_failed"]
        | str
        | None
    ) = None


@attrs.frozen(kw_only=True)
class Message(BaseObject):
    """A message in a thread (``/v1/threads/{thread_id}/messages/{message_id}``).

    v2 servers send ``attachments``; v1 servers send ``file_ids`` instead.
    """

    id: str
    object: Literal["thread.message"] | str = "thread.message"
    created_at: int | None = None
    thread_id: str | None = None
    status: Literal["in_progress", "incomplete", "completed"] | str | None = None
    incomplete_details: MessageIncompleteDetails | None = None
    completed_at: int | None = None
    incomplete_at: int | None = None
    role: Literal["user", "assistant"] | str | None = None
    content: list[MessageContent] = attrs.field(factory=list)
    assistant_id: str | None = None
    run_id: str | None = None
    attachments: list[Attachment] | None = None
    file_ids: list[str] | None = None
    metadata: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class MessageDeleted(BaseObject):
    """The answer to deleting a message (v2)."""

    id: str
    deleted: bool
    object: Literal["thread.message.deleted"] | str = "thread.message.deleted"
