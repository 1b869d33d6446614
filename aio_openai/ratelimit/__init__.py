"""Rate limiters: stay under the limits the server announces instead of bouncing off them.

Public names, re-exported by :mod:`aio_openai`: :class:`RateLimiter` (buckets kept in the
process), :class:`RedisRateLimiter` (the same buckets shared through Redis by every process
of a key), :class:`RateLimiterProtocol` (what the client asks of either) and
:class:`TokenLimitExceededError`. The modules are private:

- ``_info``: :class:`~._info.RateLimitInfo`, the one value a response is parsed into;
- ``_accounting``: the rules and words both limiters share (pair, bucket, reservation,
  acquire, feedback, settle, abandon, give back);
- ``_common``: LimiterSettings (what both take, checked once), the protocol, key ids,
  TokenLimitExceededError;
- ``_local``: RateLimiter;
- ``_redis``: RedisRateLimiter; ``_redis_pair``: its side of a pair in this process;
  ``_scripts``: its Lua scripts; ``_redis_calls``: its per-loop clients, pipelines and
  outage handling.

Importing this package does not import ``redis``: RedisRateLimiter does, when made.
"""

from ._common import RateLimiterProtocol, TokenLimitExceededError
from ._local import RateLimiter
from ._redis import RedisRateLimiter

__all__ = [
    "RateLimiter",
    "RateLimiterProtocol",
    "RedisRateLimiter",
    "TokenLimitExceededError",
]
