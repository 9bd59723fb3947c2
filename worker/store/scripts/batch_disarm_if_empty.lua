-- Stop the flush chain, unless a request was staged meanwhile (then the caller re-arms it).
-- KEYS: flush, pending.
if redis.call('LLEN', KEYS[2]) > 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'active', '0')
redis.call('HDEL', KEYS[1], 'due', 'first_at')
return 1
