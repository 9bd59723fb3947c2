-- Re-issue a job: only if it is still not terminal and still as the caller saw it (holder, generation).
-- The new holder is the re-issuer until a worker receives the new message: if the re-issuer dies before
-- sending it, the next sweep re-issues again.
-- KEYS: job, results. ARGV: holder seen, generation seen, re-issuer, job id. Returns the new generation, or nil.
if redis.call('HEXISTS', KEYS[2], ARGV[4]) == 1 then return false end
if (redis.call('HGET', KEYS[1], 'holder') or '') ~= ARGV[1] then return false end
if (redis.call('HGET', KEYS[1], 'gen') or '0') ~= ARGV[2] then return false end
local gen = redis.call('HINCRBY', KEYS[1], 'gen', 1)
redis.call('HSET', KEYS[1], 'holder', ARGV[3])
return gen
