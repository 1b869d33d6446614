"""Types that request parameters use besides the API's own: files to upload, string lists."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from os import PathLike
from typing import IO, TYPE_CHECKING, Protocol, SupportsIndex, TypeAlias, TypeVar, overload

__all__ = ["Base64FileInput", "FileContent", "FileTypes", "SequenceNotStr"]

FileContent: TypeAlias = IO[bytes] | bytes | PathLike[str]
"""A file's content: an open binary file, the bytes, or a path to read."""

FileTypes: TypeAlias = (
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
"""A file to upload: its content, or (filename, content[, content type[, headers]])."""

Base64FileInput: TypeAlias = IO[bytes] | PathLike[str]
"""A file sent base64-encoded in a JSON body: an open binary file or a path."""

_T_co = TypeVar("_T_co", covariant=True)

if TYPE_CHECKING:

    class SequenceNotStr(Protocol[_T_co]):
        """A sequence that is not a ``str``: ``["a", "b"]`` type-checks, ``"ab"`` does not.

        ``str.__contains__`` takes only a ``str``, so ``str`` does not match this protocol's
        ``__contains__(object)``; at run time this is plain ``Sequence``.
        """

        @overload
        def __getitem__(self, index: SupportsIndex, /) -> _T_co: ...
        @overload
        def __getitem__(self, index: slice, /) -> Sequence[_T_co]: ...
        def __contains__(self, value: object, /) -> bool: ...
        def __len__(self) -> int: ...
        def __iter__(self) -> Iterator[_T_co]: ...
        def __reversed__(self) -> Iterator[_T_co]: ...

else:
    SequenceNotStr = Sequence
