-- GCRA (generic cell rate algorithm, the token bucket as one timestamp) for one tenant, checked and
-- advanced atomically: Redis runs a script alone, so concurrent gateways can never both take the last token.
-- KEYS[1]  the tenant's bucket: its theoretical arrival time (TAT), in microseconds
-- ARGV[1]  emission interval in microseconds (1e6 / requests per second), may be fractional
-- ARGV[2]  burst: requests allowed at once
-- ARGV[3]  cost of this request
-- returns {allowed 0|1, remaining, retry after us, reset us (until the bucket is full again), Redis time us}
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
-- the clock of Redis, not of the gateways: instances with skewed clocks share one time line
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then
  tat = now
end
local capacity = interval * burst
local new_tat = tat + interval * cost
local allow_at = new_tat - capacity
if allow_at > now then
  local remaining = math.floor((capacity - (tat - now)) / interval)
  if remaining < 0 then remaining = 0 end
  return {0, remaining, math.ceil(allow_at - now), math.ceil(tat - now), now}
end
-- the key expires when the bucket would be full again: an idle tenant costs no memory
redis.call('SET', KEYS[1], string.format('%.3f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1000)
local remaining = math.floor((capacity - (new_tat - now)) / interval)
return {1, remaining, 0, math.ceil(new_tat - now), now}
