-- A batch's commands, run only while the batch is there: its manifest (KEYS[1]) exists. `turnout purge`
-- takes the manifest away first (worker/store/purge.py), and the retention expires it with the batch's
-- records, so a worker still in flight (a slow call, a retry's countdown, a provider batch's poller)
-- never brings back a key of a batch that is gone, nor one without a TTL.
-- KEYS[2..]: the keys the commands name. ARGV, per command: its name, the index of its key in KEYS, how
-- many arguments follow, the arguments. Returns {} when the batch is gone, else {1, each command's reply}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
local replies = {1}
local i = 1
while i <= #ARGV do
  local n = tonumber(ARGV[i + 2])
  local reply = redis.call(ARGV[i], KEYS[tonumber(ARGV[i + 1])], unpack(ARGV, i + 3, i + 2 + n))
  if type(reply) == 'table' and reply.ok then
    reply = reply.ok
  end
  replies[#replies + 1] = reply
  i = i + 3 + n
end
return replies
