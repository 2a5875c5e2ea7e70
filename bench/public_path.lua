-- wrk script for bench/public_path.py: one of five steps, chosen by BENCH_MODE.
--
--   bare       GET /                       (the bare one-SELECT view)
--   form       GET the filing form          (a first visit: no cookies)
--   file       POST the filing form         (a browser that fetched the form earlier)
--   track      POST number + mobile         (a browser that fetched the tracking page earlier)
--   case       GET the case page            (a browser whose session proved the case)
--
-- Browsers are prepared by public_path.py (BENCH_POOL: one tab-separated line per browser) exactly
-- as a person's browser ends up: its CSRF cookie and the token and time stamp of the form it was
-- served. Every wrk thread walks its own slice of the pool. Each response is checked for the status
-- a successful step gives; anything else counts as "bad" and the run is reported as failed.

local mode = os.getenv("BENCH_MODE")
local pool_path = os.getenv("BENCH_POOL")
local cases_path = os.getenv("BENCH_CASES")
local run_tag = os.getenv("BENCH_TAG") or "r"
local form_path = os.getenv("BENCH_FORM_PATH") or "/complaints/new/form/"
local track_path = "/complaints/track/"
local origin = os.getenv("BENCH_ORIGIN") or "http://127.0.0.1"

local threads = {}
local counter = 1
-- Each wrk thread runs its own Lua state, where `threads` (filled in setup) is empty: the count
-- comes from the environment.
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function read_lines(path)
  local rows = {}
  if not path then return rows end
  for line in io.lines(path) do
    local fields = {}
    for field in string.gmatch(line, "[^\t]+") do table.insert(fields, field) end
    table.insert(rows, fields)
  end
  return rows
end

local function urlencode(value)
  return (string.gsub(value, "[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local function form_body(pairs_)
  local parts = {}
  for _, pair in ipairs(pairs_) do
    table.insert(parts, urlencode(pair[1]) .. "=" .. urlencode(pair[2]))
  end
  return table.concat(parts, "&")
end

-- The filing form is multipart/form-data (it takes attachments), so a browser sends every field
-- as a part, and the file input with no file chosen as an empty part named "attachments".
local boundary = "----SajadBenchBoundary7MA4YWxkTrZu0gW"

local function multipart_body(pairs_)
  local parts = {}
  for _, pair in ipairs(pairs_) do
    table.insert(parts, "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. pair[1]
      .. "\"\r\n\r\n" .. pair[2] .. "\r\n")
  end
  table.insert(parts, "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"attachments\"; "
    .. "filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n")
  table.insert(parts, "--" .. boundary .. "--\r\n")
  return table.concat(parts)
end

local pool, cases, n, expected

function init(args)
  pool = read_lines(pool_path)
  cases = read_lines(cases_path)
  n = 0
  ok = 0
  bad = 0
  exhausted = 0
  math.randomseed(id * 7919 + os.time())
  expected = ({bare = 200, form = 200, file = 302, track = 302, case = 200})[mode]
end

local function browser()
  -- Threads take interleaved entries so no two threads share a browser at the same moment.
  -- A filing browser posts its form once (its stamp is single-use): past the pool, it would be
  -- refused and counted as bad, and the benchmark says to prepare more.
  local index = ((n - 1) * nthreads + id - 1)
  if mode == "file" and index >= #pool then exhausted = exhausted + 1 end
  return pool[(index % #pool) + 1]
end

function request()
  n = n + 1
  if mode == "bare" then
    return wrk.format("GET", "/")
  elseif mode == "form" then
    return wrk.format("GET", form_path)
  elseif mode == "file" then
    -- cookie, csrf token, stamp, service, suggestions_seen, subject, mobile
    local b = browser()
    local body = multipart_body({
      {"csrfmiddlewaretoken", b[2]}, {"kind", "complaint"}, {"service", b[4]},
      {"subject", b[6] .. " " .. run_tag .. "-" .. id .. "-" .. n},
      {"description", "درخواست من پس از سه ماه هنوز بررسی نشده است و پاسخی دریافت نکرده‌ام."},
      {"identity_tier", "contact_only"}, {"full_name", ""}, {"national_code", ""},
      {"mobile", b[7]}, {"email", ""}, {"website", ""}, {"stamp", b[3]},
      {"suggestions_seen", b[5] == "-" and "" or b[5]},
    })
    return wrk.format("POST", form_path, {
      ["Cookie"] = b[1], ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
      ["Origin"] = origin,
    }, body)
  elseif mode == "track" then
    local b = browser()
    local c = cases[math.random(#cases)]
    local body = form_body({
      {"csrfmiddlewaretoken", b[2]}, {"tracking_number", c[1]}, {"secret", c[2]},
    })
    return wrk.format("POST", track_path, {
      ["Cookie"] = b[1], ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Origin"] = origin,
    }, body)
  elseif mode == "case" then
    local b = browser()
    return wrk.format("GET", track_path .. b[2] .. "/", {["Cookie"] = b[1]})
  end
end

function response(status, headers, body)
  if status == expected then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local good, wrong, past = 0, 0, 0
  for _, thread in ipairs(threads) do
    good = good + thread:get("ok")
    wrong = wrong + thread:get("bad")
    past = past + thread:get("exhausted")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"ok": %d, "bad": %d, "socket_errors": %d, "pool_exhausted": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), good, wrong, e.connect + e.read + e.write + e.timeout, past))
end
