"""The Redis limiter's Lua scripts, and the arguments and replies they take and give.

Each script is atomic and timed by Redis's own clock (``TIME``, so the hosts' clocks never
matter) unless a test injects one. They restate :class:`~aio_openai.ratelimit._accounting.Bucket`
for the pair's hash ``{prefix}:{key_id}:{model or *}``:

- *reserve* refills both buckets and takes one reservation (a request and its token
  estimate) for each call of a batch, in order, until one does not fit (then it answers that
  call's wait in milliseconds);
- *feedback* applies a response (limits are set, ``remaining`` lowers a level and never raises
  it, less what was reserved after that request; 429s set a shared not-before moment and make
  one multiplicative cut of the shared scale per congestion event; successes recover it
  additively) and settles the call's reservation, with ``usage`` when it is known;
- *adjust* gives back a reservation that was never sent, or settles a stream's estimate once
  its usage arrives.

Hash fields: mode (0 cold, 1 known, 2 unannounced), rl/tl the limits, rv/tv the levels, at when
they were last brought up to date (microseconds), scale, nb the not-before moment, ri/ti the
requests and tokens reserved so far, rs/ts those settled, rx/tx whether a limit was given
explicitly, dec the requests reserved at the last cut, limited the 429s seen.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from typing import Any, Final

from ._accounting import CUT, FLOOR, Reservation
from ._info import OK, RATE_LIMITED, RateLimitInfo

__all__ = [
    "ADJUST",
    "FEEDBACK",
    "GATED",
    "GRANTED",
    "RESERVE",
    "TOO_LARGE",
    "WAIT",
    "Script",
    "adjust_args",
    "feedback_args",
    "read_reserve",
    "reserve_args",
]

# Answers of the reserve script, for the first call of the batch it did not grant.
GRANTED: Final = 0  # every call of the batch was granted
WAIT: Final = 1
GATED: Final = 2  # limits unknown and this process's cold-start (or AIMD) window is full
TOO_LARGE: Final = 3  # the token estimate is over the whole token limit

# Loads the hash and brings both buckets up to ``now`` (microseconds): Bucket.refill of
# aio_openai.ratelimit._accounting. ARGV[1] is the time ("" for Redis's own ``TIME``), ARGV[2] the
# utilisation target (the scale of a new hash).
_PRELUDE = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local target = tonumber(ARGV[2])
local f = redis.call('HMGET', key, 'mode', 'rl', 'tl', 'rv', 'tv', 'at', 'scale', 'nb', 'ri',
  'ti', 'rx', 'tx', 'dec', 'limited', 'rs', 'ts')
local mode = tonumber(f[1]) or 0
local rl = tonumber(f[2])
local tl = tonumber(f[3])
local rv = tonumber(f[4]) or 0
local tv = tonumber(f[5]) or 0
local at = tonumber(f[6]) or now
local scale = tonumber(f[7]) or target
local nb = tonumber(f[8]) or 0
local ri = tonumber(f[9]) or 0
local ti = tonumber(f[10]) or 0
local rx = f[11]
local tx = f[12]
local dec = tonumber(f[13]) or 0
local limited = tonumber(f[14]) or 0
local rs = tonumber(f[15]) or 0
local ts = tonumber(f[16]) or 0
if mode == 1 and now > at then
  local dt = (now - at) / 1000000
  if rl then rv = math.min(rl, rv + dt * rl * scale / 60) end
  if tl then tv = math.min(tl, tv + dt * tl * scale / 60) end
end
if now > at then at = now end
local function save(ttl)
  redis.call('HSET', key, 'mode', mode, 'rv', rv, 'tv', tv, 'at', at, 'scale', scale, 'nb', nb,
    'ri', ri, 'ti', ti, 'dec', dec, 'limited', limited, 'rs', rs, 'ts', ts)
  if rl then redis.call('HSET', key, 'rl', rl) end
  if tl then redis.call('HSET', key, 'tl', tl) end
  redis.call('PEXPIRE', key, ttl)
end
"""

# ARGV[3] how many calls this process may send while the limits are unknown, ARGV[4]/ARGV[5]
# explicit rpm/tpm ("" for none), ARGV[6] ttl in ms, ARGV[7...] the token cost of each call of
# the batch, in order. Grants calls in order until one does not fit. Returns {calls granted,
# answer for the next one, its wait in ms, mode, requests and tokens reserved before the
# batch, rl, tl}.
_RESERVE = (
    _PRELUDE
    + """
local slots = tonumber(ARGV[3])
local xr = tonumber(ARGV[4])
local xt = tonumber(ARGV[5])
if xr and rl ~= xr then
  if not rl or mode ~= 1 then rv = xr end
  rl = xr
  redis.call('HSET', key, 'rx', 1)
end
if xt and tl ~= xt then
  if not tl or mode ~= 1 then tv = xt end
  tl = xt
  redis.call('HSET', key, 'tx', 1)
end
if (xr or xt) and mode ~= 1 then mode = 1 end
local ri0, ti0 = ri, ti
local granted, answer, wait = 0, 0, 0
if now < nb then
  answer, wait = 1, nb - now
else
  for i = 7, #ARGV do
    local cost = tonumber(ARGV[i])
    if mode == 1 then
      if tl and cost > tl then
        answer = 3
        break
      end
      if rl and rv < 1 then wait = (1 - rv) * 60000000 / (rl * scale) end
      if tl and cost > 0 and tv < cost then
        wait = math.max(wait, (cost - tv) * 60000000 / (tl * scale))
      end
      if wait > 0 then
        answer = 1
        break
      end
      if rl then rv = rv - 1 end
      if tl then tv = tv - cost end
    elseif granted >= slots then
      answer = 2
      break
    end
    granted = granted + 1
    ri = ri + 1
    ti = ti + cost
  end
end
save(ARGV[6])
return {granted, answer, math.ceil(wait / 1000), mode, ri0, ti0, tostring(rl or ''),
  tostring(tl or '')}
"""
)

# Bucket.learn of aio_openai.ratelimit._accounting, for one bucket: the level, its limit, what
# remains (or the reset), and what may be in flight that the server had not seen.
_LEARN = """
local function learn(level, limit, rem, reset, since, first)
  if not limit then return level end
  if not rem and reset then rem = math.max(0, limit - reset * limit / 60) end
  if not rem then
    if first then return limit - since end
    return level
  end
  local est = rem - since
  if first or est < level then return math.min(est, limit) end
  return level
end
"""

# ARGV[3] recovery, ARGV[4]/ARGV[5] requests/tokens reserved when the call was granted,
# ARGV[6] "1" when the response announced limits, ARGV[7..12] the limit, remaining and reset
# (seconds) of requests and tokens ("" when missing), ARGV[13] the outcome ("ok", "429" or ""),
# ARGV[14] a 429's wait in ms, ARGV[15] its bucket ("requests" or "tokens"), ARGV[16] tokens to
# give back after ``usage`` ("" for none), ARGV[17] the call's token cost (its reservation is
# settled), ARGV[18] ttl in ms. Returns {mode, rl, tl}.
_FEEDBACK = (
    _PRELUDE
    + _LEARN
    + f"""
local reserved_ri = tonumber(ARGV[4])
rs = rs + 1
ts = ts + tonumber(ARGV[17])
if ARGV[6] == '1' then
  local first = mode ~= 1
  mode = 1
  local lr = tonumber(ARGV[7])
  if lr and not rx then rl = lr end
  local lt = tonumber(ARGV[8])
  if lt and not tx then tl = lt end
  local sr = ri - rs
  local st = ti - ts
  if not first then
    sr = ri - math.max(reserved_ri, rs)
    st = ti - math.max(tonumber(ARGV[5]), ts)
  end
  rv = learn(rv, rl, tonumber(ARGV[9]), tonumber(ARGV[11]), sr, first)
  tv = learn(tv, tl, tonumber(ARGV[10]), tonumber(ARGV[12]), st, first)
elseif mode == 0 then
  mode = 2
end
if ARGV[13] == '429' then
  limited = limited + 1
  nb = math.max(nb, now + tonumber(ARGV[14]) * 1000)
  if reserved_ri > dec then
    scale = math.max(target * {FLOOR!r}, scale * {CUT!r})
    dec = ri
  end
  if mode == 1 then
    if ARGV[15] == 'tokens' then
      if tl then tv = math.min(tv, 0) end
    elseif rl then
      rv = math.min(rv, 0)
    end
  end
elseif ARGV[13] == 'ok' then
  if scale < target then scale = math.min(target, scale + tonumber(ARGV[3])) end
end
local give = tonumber(ARGV[16])
if give and mode == 1 and tl then tv = math.min(tl, tv + give) end
save(ARGV[18])
return {{mode, tostring(rl or ''), tostring(tl or '')}}
"""
)

# ARGV[3] requests and ARGV[4] tokens to give back (tokens may be negative), ARGV[5] and
# ARGV[6] requests and tokens whose reservations are settled, ARGV[7] ttl in ms.
_ADJUST = (
    _PRELUDE
    + """
rs = rs + tonumber(ARGV[5])
ts = ts + tonumber(ARGV[6])
if mode == 1 then
  if rl then rv = math.min(rl, rv + tonumber(ARGV[3])) end
  if tl then tv = math.min(tl, tv + tonumber(ARGV[4])) end
end
save(ARGV[7])
return mode
"""
)


class Script:
    """A Lua script run with EVALSHA (and loaded when the server does not know it)."""

    __slots__ = ("name", "sha", "text")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.sha = hashlib.sha1(text.encode()).hexdigest()


RESERVE: Final = Script("reserve", _RESERVE)
FEEDBACK: Final = Script("feedback", _FEEDBACK)
ADJUST: Final = Script("adjust", _ADJUST)


def _arg(value: float | None) -> str:
    """A script argument: the number, or "" for None."""
    return "" if value is None else repr(value)


def reserve_args(
    now: str,
    utilisation: float,
    slots: int,
    rpm: float | None,
    tpm: float | None,
    ttl_ms: str,
    costs: Iterable[int],
) -> list[str]:
    """The reserve script's arguments (``now``: "" for Redis's clock)."""
    return [now, repr(utilisation), str(slots), _arg(rpm), _arg(tpm), ttl_ms, *map(str, costs)]


def read_reserve(reply: list[Any]) -> tuple[int, int, int, int, int, int, Any, Any]:
    """The reserve script's answer, as numbers (raises on a reply of another shape)."""
    granted, answer, wait_ms, mode, requests, tokens, rl, tl = reply
    return (
        int(granted),
        int(answer),
        int(wait_ms),
        int(mode),
        int(requests),
        int(tokens),
        rl,
        tl,
    )


def feedback_args(
    now: str,
    utilisation: float,
    recovery: float,
    reservation: Reservation[Any],
    info: RateLimitInfo,
    give: str,
    ttl_ms: str,
) -> list[str]:
    """The feedback script's arguments: ``info`` for ``reservation``, ``give`` from usage."""
    requests, tokens = info.requests, info.tokens
    rate_limited = info.outcome == RATE_LIMITED
    return [
        now,
        repr(utilisation),
        repr(recovery),
        str(reservation.issued_requests),
        str(reservation.issued_tokens),
        "1" if info.announced else "0",
        _arg(requests.limit),
        _arg(tokens.limit),
        _arg(requests.remaining),
        _arg(tokens.remaining),
        _arg(requests.reset),
        _arg(tokens.reset),
        {OK: "ok", RATE_LIMITED: "429"}.get(info.outcome, ""),
        str(max(0, math.ceil(info.wait * 1000))) if rate_limited else "0",
        (info.limited or "") if rate_limited else "",
        give,
        str(reservation.cost),
        ttl_ms,
    ]


def adjust_args(
    now: str,
    utilisation: float,
    requests: float,
    tokens: float,
    settled: Reservation[Any] | None,
    ttl_ms: str,
) -> list[str]:
    """The adjust script's arguments: give back ``requests`` and ``tokens``, settle ``settled``."""
    return [
        now,
        repr(utilisation),
        repr(requests),
        repr(tokens),
        "0" if settled is None else "1",
        "0" if settled is None else str(settled.cost),
        ttl_ms,
    ]
