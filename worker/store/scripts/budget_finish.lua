-- ARGV: prefix, id, mode (settle | release | unknown), actual cost (settle), keep_s.
-- Returns 1, or 0 when there is no such reservation (settled already, or nothing was booked).
local id, mode, keep_s = ARGV[2], ARGV[3], tonumber(ARGV[5])
local rk = P .. ':res:' .. id
local r = redis.call('HMGET', rk, 'amount', 'ledgers', 'state')
if not r[1] then return 0 end
redis.call('DEL', rk)
redis.call('ZREM', P .. ':leases', id)
local over = mode == 'settle' and tonumber(ARGV[4]) - tonumber(r[1]) or 0
for _, k in ipairs(split(r[2])) do
  if r[3] == 'live' then
    redis.call('HINCRBY', k, 'reserved', '-' .. r[1])
    redis.call('HINCRBY', k, 'in_flight', -1)
  else
    redis.call('HINCRBY', k, 'unknown', '-' .. r[1])  -- charged when its lease ran out: undo that
  end
  if mode == 'settle' then
    redis.call('HINCRBY', k, 'settled', ARGV[4])
    redis.call('HINCRBY', k, 'settled_calls', 1)
    if over > 0 then redis.call('HINCRBY', k, 'overrun', string.format('%d', over)) end
  elseif mode == 'unknown' then
    redis.call('HINCRBY', k, 'unknown', r[1])
    redis.call('HINCRBY', k, 'unknown_calls', 1)
  else
    redis.call('HINCRBY', k, 'released', 1)
  end
  keep(k, keep_s)
end
return 1
