-- Claim an identity (a task on a document, worker/joining.py) for the job ARGV[1] ("batch job"): when
-- nobody holds it, or that job holds it, or it still names ARGV[3], the leader the caller found finished
-- or gone. Else nothing changes and the current leader comes back. ARGV[2]: how long the claim lives (ms).
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] and current ~= ARGV[3] then
  return current
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
