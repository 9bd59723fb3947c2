-- Let go of a job handed on to another queue, unless the next stage has received it meanwhile (or it was
-- re-issued). By stage and generation, not holder name: a prefork child does not know its parent's.
-- KEYS: job. ARGV: stage, generation.
if redis.call('HGET', KEYS[1], 'stage') == ARGV[1] and (redis.call('HGET', KEYS[1], 'gen') or '0') == ARGV[2] then
  redis.call('HSET', KEYS[1], 'holder', '')
end
return 1
