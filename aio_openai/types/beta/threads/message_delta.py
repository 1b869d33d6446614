"""What a ``thread.message.delta`` event carries: a MessageDeltaEvent, the pieces of a message
as the model writes it."""

from __future__ import annotations

from typing import Literal, TypeAlias

import attrs

from ...._models import BaseObject
from .._unions import register_union
from .message import FileCitation, FilePath

__all__ = [
    "AnnotationDelta",
    "FileCitationDeltaAnnotation",
    "FilePathDeltaAnnotation",
    "ImageFileDelta",
    "ImageFileDeltaBlock",
    "ImageURLDelta",
    "ImageURLDeltaBlock",
    "MessageContentDelta",
    "MessageDelta",
    "MessageDeltaEvent",
    "RefusalDeltaBlock",
    "TextDelta",
    "TextDeltaBlock",
    "UnknownAnnotationDelta",
    "UnknownContentDeltaBlock",
]


@attrs.frozen(kw_only=True)
class FileCitationDeltaAnnotation(BaseObject):
    """A piece of a file citation."""

    index: int = 0
    type: Literal["file_citation"] = "file_citation"
    text: str | None = None
    file_citation: FileCitation | None = None
    start_index: int | None = None
    end_index: int | None = None


@attrs.frozen(kw_only=True)
class FilePathDeltaAnnotation(BaseObject):
    """A piece of a file path annotation."""

    index: int = 0
    type: Literal["file_path"] = "file_path"
    text: str | None = None
    file_path: FilePath | None = None
    start_index: int | None = None
    end_index: int | None = None


@attrs.frozen(kw_only=True)
class UnknownAnnotationDelta(BaseObject):
    """An annotation piece of a type this package does not know (keys in ``model_extra``)."""

    type: str
    index: int | None = None


AnnotationDelta: TypeAlias = (
    FileCitationDeltaAnnotation | FilePathDeltaAnnotation | UnknownAnnotationDelta
)

register_union(
    AnnotationDelta,
    {"file_citation": FileCitationDeltaAnnotation, "file_path": FilePathDeltaAnnotation},
    fallback=UnknownAnnotationDelta,
)


@attrs.frozen(kw_only=True)
class TextDelta(BaseObject):
    """A piece of text and its annotations."""

    value: str | None = None
    annotations: list[AnnotationDelta] | None = None


@attrs.frozen(kw_only=True)
class TextDeltaBlock(BaseObject):
    """A piece of the text block at ``index``."""

    index: int = 0
    type: Literal["text"] = "text"
    text: TextDelta | None = None


@attrs.frozen(kw_only=True)
class ImageFileDelta(BaseObject):
    """A piece of an image file block."""

    file_id: str | None = None
    detail: Literal["auto", "low", "high"] | str | None = None


@attrs.frozen(kw_only=True)
class ImageFileDeltaBlock(BaseObject):
    """A piece of the image file block at ``index``."""

    index: int = 0
    type: Literal["image_file"] = "image_file"
    image_file: ImageFileDelta | None = None


@attrs.frozen(kw_only=True)
class ImageURLDelta(BaseObject):
    """A piece of an image URL block."""

    url: str | None = None
    detail: Literal["auto", "low", "high"] | str | None = None


@attrs.frozen(kw_only=True)
class ImageURLDeltaBlock(BaseObject):
    """A piece of the image URL block at ``index``."""

    index: int = 0
    type: Literal["image_url"] = "image_url"
    image_url: ImageURLDelta | None = None


@attrs.frozen(kw_only=True)
class RefusalDeltaBlock(BaseObject):
    """A piece of the refusal at ``index``."""

    index: int = 0
    type: Literal["refusal"] = "refusal"
    refusal: str | None = None


@attrs.frozen(kw_only=True)
class UnknownContentDeltaBlock(BaseObject):
    """A content piece of a type this package does not know (keys in ``model_extra``)."""

    type: str
    index: int | None = None


MessageContentDelta: TypeAlias = (
    TextDeltaBlock
    | ImageFileDeltaBlock
    | ImageURLDeltaBlock
    | RefusalDeltaBlock
    | UnknownContentDeltaBlock
)
"""A piece of a message's content, tagged on ``type``."""

register_union(
    MessageContentDelta,
    {
        "text": TextDeltaBlock,
        "image_file": ImageFileDeltaBlock,
        "image_url": ImageURLDeltaBlock,
        "refusal": RefusalDeltaBlock,
    },
    fallback=UnknownContentDeltaBlock,
)


@attrs.frozen(kw_only=True)
class MessageDelta(BaseObject):
    """What changed in a message."""

    content: list[MessageContentDelta] | None = None
    role: Literal["user", "assistant"] | str | None = None


@attrs.frozen(kw_only=True)
class MessageDeltaEvent(BaseObject):
    """The data of ``thread.message.delta``: the message's id and what changed."""

    id: str
    delta: MessageDelta = attrs.field(factory=MessageDelta)
    object: Literal["thread.message.delta"] | str = "thread.message.delta"
