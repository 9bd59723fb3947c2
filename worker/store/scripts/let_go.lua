-- A re-issuer lets go once the new message is out: the job then waits in its queue.
-- KEYS: job. ARGV: the re-issuer's holder name.
if redis.call('HGET', KEYS[1], 'holder') == ARGV[1] then redis.call('HSET', KEYS[1], 'holder', '') end
return 1
