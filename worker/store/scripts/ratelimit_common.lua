-- Shared helpers of the rate limiter's scripts (loaded in front of each): entries are `requests:tokens`
-- strings in a hash, keyed by reservation id, scored by their send time (integer microseconds, exact in a
-- double) in a sorted set; running sums in a hash. KEYS of every script: log, costs, sums.
local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local function parse(v)
  if not v then return 0, 0 end
  local n, k = string.match(v, '^(%-?%d+):(%-?%d+)$')
  return tonumber(n), tonumber(k)
end
-- Forget entries that no window from `now` on can contain (ts <= now - window).
local function expire(now, window)
  while true do
    local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - window, 'LIMIT', 0, 500)
    if #old == 0 then return end
    local costs = redis.call('HMGET', KEYS[2], unpack(old))
    local dn, dk = 0, 0
    for _, v in ipairs(costs) do
      local n, k = parse(v)
      dn = dn + n
      dk = dk + k
    end
    redis.call('ZREM', KEYS[1], unpack(old))
    redis.call('HDEL', KEYS[2], unpack(old))
    redis.call('HINCRBY', KEYS[3], 'req', -dn)
    redis.call('HINCRBY', KEYS[3], 'tok', -dk)
  end
end
local function sums()
  local s = redis.call('HMGET', KEYS[3], 'req', 'tok')
  return tonumber(s[1] or '0'), tonumber(s[2] or '0')
end
local function add(id, at, n, k, now, window)
  redis.call('ZADD', KEYS[1], at, id)
  redis.call('HSET', KEYS[2], id, string.format('%d:%d', n, k))
  redis.call('HINCRBY', KEYS[3], 'req', n)
  redis.call('HINCRBY', KEYS[3], 'tok', k)
  -- An idle limiter cleans itself up once every entry has left the window.
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  local ttl_ms = math.ceil((tonumber(last[2]) - now + window) / 1000) + 1000
  for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ttl_ms) end
end
-- The earliest time >= max(now, newest entry) at which (at - window, at] has room for n requests and
-- k tokens: free the oldest entries until both budgets fit; `at` is when the last one freed leaves.
local function earliest(now, window, rpm, tpm, n, k)
  local req, tok = sums()
  local at = now
  local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if #newest > 0 and tonumber(newest[2]) > at then at = tonumber(newest[2]) end
  local offset = 0
  local function over()
    return (rpm > 0 and req + n > rpm) or (tpm > 0 and tok + k > tpm)
  end
  while over() do
    local batch = redis.call('ZRANGE', KEYS[1], offset, offset + 199, 'WITHSCORES')
    if #batch == 0 then return nil end
    local ids = {}
    for i = 1, #batch, 2 do ids[#ids + 1] = batch[i] end
    local costs = redis.call('HMGET', KEYS[2], unpack(ids))
    for j = 1, #ids do
      if not over() then break end
      local dn, dk = parse(costs[j])
      req = req - dn
      tok = tok - dk
      local leaves = tonumber(batch[2 * j]) + window
      if leaves > at then at = leaves end
    end
    offset = offset + 200
  end
  return at
end
