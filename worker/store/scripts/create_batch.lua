-- Creates a batch's manifest in one step, its options included: a manifest never exists without them.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
