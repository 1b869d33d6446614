"""The models a fresh :class:`~aio_openai.testing.FakeOpenAI` serves."""

from __future__ import annotations

from typing import Final, NamedTuple

__all__ = ["SEED_MODELS", "SeedModel"]


class SeedModel(NamedTuple):
    """One seed model: its id, creation time (unix seconds) and owner."""

    id: str
    created: int
    owned_by: str


#: The 35 models every new fake server starts with, in the order ``GET /v1/models`` lists them.
SEED_MODELS: Final[tuple[SeedModel, ...]] = (
    SeedModel("dall-e-3", 1698785189, "system"),
    SeedModel("dall-e-2", 1698798177, "system"),
    SeedModel("gpt-3.5-turbo-0125", 1706048358, "system"),
    SeedModel("text-embedding-ada-002", 1671217299, "openai-internal"),
    SeedModel("tts-1-hd-1106", 1699053533, "system"),
    SeedModel("text-embedding-3-small", 1705948997, "system"),
    SeedModel("tts-1-hd", 1699046015, "system"),
    SeedModel("gpt-4-0125-preview", 1706037612, "system"),
    SeedModel("gpt-4-turbo-preview", 1706037777, "system"),
    SeedModel("text-embedding-3-large", 1705953180, "system"),
    SeedModel("whisper-1", 1677532384, "openai-internal"),
    SeedModel("babbage-002", 1692634615, "system"),
    SeedModel("gpt-3.5-turbo-16k-0613", 1685474247, "openai"),
    SeedModel("davinci-002", 1692634301, "system"),
    SeedModel("gpt-3.5-turbo-16k", 1683758102, "openai-internal"),
    SeedModel("gpt-4-0613", 1686588896, "openai"),
    SeedModel("gpt-4", 1687882411, "openai"),
    SeedModel("gpt-4-1106-preview", 1698957206, "system"),
    SeedModel("gpt-3.5-turbo", 1677610602, "openai"),
    SeedModel("gpt-4-vision-preview", 1698894917, "system"),
    SeedModel("gpt-3.5-turbo-0613", 1686587434, "openai"),
    SeedModel("gpt-3.5-turbo-1106", 1698959748, "system"),
    SeedModel("gpt-3.5-turbo-0301", 1677649963, "openai"),
    SeedModel("tts-1-1106", 1699053241, "system"),
    SeedModel("gpt-3.5-turbo-instruct", 1692901427, "system"),
    SeedModel("tts-1", 1681940951, "openai-internal"),
    SeedModel("gpt-3.5-turbo-instruct-0914", 1694122472, "system"),
    SeedModel("gpt-4-turbo", 1712361441, "system"),
    SeedModel("gpt-4o", 1715367049, "system"),
    SeedModel("gpt-4o-mini", 1721172741, "system"),
    SeedModel("gpt-4o-2024-08-06", 1722814719, "system"),
    SeedModel("omni-moderation-latest", 1731689265, "system"),
    SeedModel("omni-moderation-2024-09-26", 1732734466, "system"),
    SeedModel("text-moderation-latest", 1677610602, "system"),
    SeedModel("text-moderation-stable", 1677610602, "system"),
)
