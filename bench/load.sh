#!/usr/bin/env bash
# bench/load.sh: load test of `agreementbot serve` against the ceiling, a
# bare net/http server that only verifies the same signatures with the
# standard library and returns a fixed reply (bench/ceiling): the bot's own
# answer to the request, captured once before the runs, so that both send
# the same bytes and the difference is the bot's own work. A manual step,
# not part of .ci/run; see bench/README.md.
#
# For each endpoint (Slack slash commands, Discord interactions) it starts
# both servers on loopback, sends correctly signed requests with wrk at full
# speed (ceiling and bot alternately, ceiling first), then at a fixed load
# below saturation for latency, and prints a markdown table: requests/s, p50
# and p99 latency, errors, requests, peak RSS, RSS after the run, server CPU
# per request, the bot/ceiling throughput ratio, and PASS or FAIL against
# the targets. Progress goes to standard error, the results
# (markdown) to standard output. Exit status: 0 all targets met, 1 a target
# missed, 2 the benchmark itself could not run.
#
# Settings (environment):
#   DURATION=10s     each measured wrk run (Ns or Nm, at most 240s: a Slack
#                    signature is good for five minutes)
#   WARMUP=3s        wrk run before each server's first measured run (0 none)
#   ROUNDS=7         measured runs per server, ceiling and bot alternately;
#                    many short pairs keep the median steady when the host's
#                    speed drifts during the run
#   LATENCY_ROUNDS=3 latency runs per server, alternately; p99 is their median
#   THREADS=2 CONNECTIONS=64
#   PIN=1            run the servers on CPU 0 and wrk on CPU 1 (taskset), so
#                    the servers never wait for the load generator's CPU
#                    time and req/s measures the servers; PIN=0 lets them
#                    share every CPU (needs 2 CPUs or more; off with fewer)
#   ENDPOINTS="slack discord"
#   LATENCY_DELAY_MS=10  latency runs: each of the CONNECTIONS connections
#                    waits this long after each answer (64 connections: at
#                    most 6,400 requests/s, about a third of what either
#                    server sustains here); the p99 target is judged there
#   EXTRA_RUNS=1     two more runs per endpoint, for information: the bot with
#                    LOG_LEVEL=info (the cost of the per-command log line) and
#                    the ceiling answering a few dozen bytes instead of the
#                    bot's reply (the cost of the reply's size); 0 skips them
#   MAX_OTHER_PCT=10 a run during which other processes used more than this
#   RETRIES=2        percentage of one CPU is repeated, up to RETRIES times
#   KEEP_TMP=0       1 keeps the temporary directory (binaries, logs, wrk output)
set -euo pipefail

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
ROUNDS=${ROUNDS:-7}
LATENCY_ROUNDS=${LATENCY_ROUNDS:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
ENDPOINTS=${ENDPOINTS:-slack discord}
EXTRA_RUNS=${EXTRA_RUNS:-1}
LATENCY_DELAY_MS=${LATENCY_DELAY_MS:-10}
MAX_OTHER_PCT=${MAX_OTHER_PCT:-10}
RETRIES=${RETRIES:-2}
KEEP_TMP=${KEEP_TMP:-0}
PIN=${PIN:-1}

# Guards ("A simpler house"), for agreementbot serve: floors to stay above,
# not records to chase. Bolt for JavaScript, Slack's official framework,
# reaches about 0.1x of a small-reply ceiling; arikawa, the fastest Go
# Discord library, 0.9-1.1x.
TARGET_RATIO_slack=0.5
TARGET_RATIO_discord=1.0
TARGET_P99_MS=5
TARGET_MIN_REQUESTS=100000
TARGET_RSS_MIB=40

ROOT=$(cd "$(dirname "$0")/.." && pwd)

say() { printf '%s\n' "$*" >&2; }
die() { say "load.sh: $*"; exit 2; }

need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found. $2"; }
need wrk "Install it with: sudo apt-get install -y wrk (Debian/Ubuntu; wrk 4 with LuaJIT)"
need curl "Install it with: sudo apt-get install -y curl"
need go "Install Go (the version go.mod names) and put it on PATH"
need timeout "It is part of coreutils."
need awk "Install gawk or mawk."
need getconf "It is part of libc-bin."
need taskset "It is part of util-linux."

# seconds converts a wrk-style duration (20, 20s, 2m) to whole seconds.
seconds() {
  case "$1" in
    "" | *[!0-9smh]* | [smh]*) die "bad duration '$1': want e.g. 20s or 1m" ;;
    *s) echo "${1%s}" ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *h) echo $(( ${1%h} * 3600 )) ;;
    *) echo "$1" ;;
  esac
}
DURATION_S=$(seconds "$DURATION")
WARMUP_S=$(seconds "$WARMUP")
[ "$DURATION_S" -ge 1 ] && [ "$DURATION_S" -le 240 ] || die "DURATION must be 1s to 240s (a Slack signature is good for five minutes)"
[ "$WARMUP_S" -le 60 ] || die "WARMUP must be at most 60s"
[[ "$ROUNDS" =~ ^[1-9]$ ]] || die "ROUNDS must be 1 to 9"
[[ "$LATENCY_ROUNDS" =~ ^[1-9]$ ]] || die "LATENCY_ROUNDS must be 1 to 9"
[[ "$THREADS" =~ ^[1-9][0-9]*$ && "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "THREADS and CONNECTIONS must be positive numbers"
[ "$CONNECTIONS" -ge "$THREADS" ] || die "CONNECTIONS must be at least THREADS"
[[ "$MAX_OTHER_PCT" =~ ^[0-9]+$ && "$RETRIES" =~ ^[0-9]$ ]] || die "MAX_OTHER_PCT must be a whole number, RETRIES 0 to 9"
[[ "$EXTRA_RUNS" =~ ^[01]$ ]] || die "EXTRA_RUNS must be 0 or 1"
[[ "$PIN" =~ ^[01]$ ]] || die "PIN must be 0 or 1"
if [ "$PIN" = 1 ] && [ "$(nproc)" -lt 2 ]; then say "load.sh: fewer than 2 CPUs: PIN=0"; PIN=0; fi
[[ "$LATENCY_DELAY_MS" =~ ^[1-9][0-9]*$ ]] || die "LATENCY_DELAY_MS must be a positive number of milliseconds"
DISTURBED=0 STILL_DISTURBED=0
n_ep=0
for ep in $ENDPOINTS; do
  case "$ep" in slack | discord) n_ep=$((n_ep + 1)) ;; *) die "unknown endpoint '$ep' in ENDPOINTS (want slack and/or discord)" ;; esac
done
[ "$n_ep" -ge 1 ] || die "ENDPOINTS is empty"

T=$(mktemp -d "${TMPDIR:-/tmp}/agreementbot-bench.XXXXXX")
PIDS=() # every server this script started, by pid

# stop PID: SIGTERM, then SIGKILL after 10 s; forgets the pid.
stop() {
  local pid=$1 keep=() p
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}
WRK_PID=""
cleanup() {
  local pid
  if [ -n "$WRK_PID" ]; then kill -TERM "$WRK_PID" 2>/dev/null || true; wait "$WRK_PID" 2>/dev/null || true; fi
  for pid in "${PIDS[@]}"; do stop "$pid"; done
  if [ "$KEEP_TMP" = 1 ]; then say "load.sh: kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'say "load.sh: interrupted"; exit 130' INT TERM HUP

per_ep=$(( (2 * ROUNDS + 2 * LATENCY_ROUNDS + 2 * EXTRA_RUNS) * DURATION_S + (2 + 2 * EXTRA_RUNS) * WARMUP_S + 15 ))
say "== load.sh: about $(( n_ep * per_ep / 60 + 1 )) minutes of load after the build, at most $(( n_ep * (per_ep + (2 * ROUNDS + 2 * LATENCY_ROUNDS + 2 * EXTRA_RUNS) * RETRIES * (DURATION_S + 2)) / 60 + 1 )) if runs must be repeated (DURATION=${DURATION_S}s, ROUNDS=$ROUNDS, EXTRA_RUNS=$EXTRA_RUNS, RETRIES=$RETRIES)"

say "== building agreementbot, the ceiling and the signer into $T"
(
  cd "$ROOT"
  timeout 600 go build -o "$T/agreementbot" ./cmd/agreementbot
  timeout 600 go build -o "$T/ceiling" ./bench/ceiling
  timeout 600 go build -o "$T/sign" ./bench/sign
) || die "build failed"
mkdir -p "$T/run" # the bot's working directory: no stray .env there

# Fresh secrets for this run only.
SLACK_SECRET="" DISCORD_SEED="" DISCORD_PUB=""
while IFS='=' read -r k v; do
  case "$k" in
    SLACK_SIGNING_SECRET) SLACK_SECRET=$v ;;
    DISCORD_SEED) DISCORD_SEED=$v ;;
    DISCORD_PUBLIC_KEY) DISCORD_PUB=$v ;;
  esac
done < <("$T/sign" keygen)
[ -n "$SLACK_SECRET" ] && [ -n "$DISCORD_SEED" ] && [ -n "$DISCORD_PUB" ] || die "sign keygen failed"

# sign_req EP FORMAT [FLAGS...]: a freshly signed request (see bench/sign).
sign_req() {
  local ep=$1 format=$2
  shift 2
  SLACK_SIGNING_SECRET=$SLACK_SECRET DISCORD_SEED=$DISCORD_SEED "$T/sign" "$ep" -format "$format" "$@"
}

path_of() { if [ "$1" = slack ]; then echo /slack/commands; else echo /discord/interactions; fi; }

# platform_env EP: the variables that turn on one endpoint, one a line.
platform_env() {
  if [ "$1" = slack ]; then
    echo "SLACK_SIGNING_SECRET=$SLACK_SECRET"
  else
    echo "DISCORD_PUBLIC_KEY=$DISCORD_PUB"
    echo "DISCORD_MODE=http"
  fi
}

# wait_healthy PORT PID LOG: GET /healthz answers 200 within 15 s and the
# process is still alive (if another process held the port, ours has exited).
wait_healthy() {
  for _ in $(seq 150); do
    kill -0 "$2" 2>/dev/null || { say "load.sh: server exited during start-up; its log:"; cat "$3" >&2; exit 2; }
    if curl -fsS --max-time 1 -o /dev/null "http://127.0.0.1:$1/healthz" 2>/dev/null; then
      sleep 0.3
      kill -0 "$2" 2>/dev/null || { say "load.sh: server exited; its log:"; cat "$3" >&2; exit 2; }
      return 0
    fi
    sleep 0.1
  done
  say "load.sh: no healthy server on port $1 after 15 s; its log:"; cat "$3" >&2; exit 2
}

# With PIN=1 servers run on CPU 0 and wrk on CPU 1.
ON_SERVER_CPU=() ON_WRK_CPU=()
if [ "$PIN" = 1 ]; then ON_SERVER_CPU=(taskset -c 0) ON_WRK_CPU=(taskset -c 1); fi

# start_ceiling EP [REPLY_FILE] -> PORT, PID
start_ceiling() {
  local envs
  mapfile -t envs < <(platform_env "$1")
  [ -z "${2:-}" ] || envs+=("CEILING_REPLY_FILE=$2")
  PORT=$("$T/sign" freeport)
  "${ON_SERVER_CPU[@]}" env -i PATH=/usr/bin:/bin HTTP_ADDR="127.0.0.1:$PORT" "${envs[@]}" "$T/ceiling" >"$T/ceiling.$1.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  wait_healthy "$PORT" "$PID" "$T/ceiling.$1.log"
}

# start_bot EP LEVEL -> PORT, PID. A clean environment: rate limits off,
# command registration off, the embedded data, logs to a file.
start_bot() {
  local envs
  mapfile -t envs < <(platform_env "$1")
  PORT=$("$T/sign" freeport)
  (
    cd "$T/run"
    exec "${ON_SERVER_CPU[@]}" env -i PATH=/usr/bin:/bin HOME="$T/run" HTTP_ADDR="127.0.0.1:$PORT" "${envs[@]}" \
      RATE_LIMIT_PER_USER=0 RATE_LIMIT_GLOBAL=0 LOG_LEVEL="$2" LOG_FORMAT=text \
      DISCORD_REGISTER_COMMANDS=false SHUTDOWN_TIMEOUT=5s SHUTDOWN_DELAY=0 \
      "$T/agreementbot" serve
  ) >"$T/bot.$1.$2.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  wait_healthy "$PORT" "$PID" "$T/bot.$1.$2.log"
}

# sanity EP PORT WANT OUT: one signed request gets 200 and a body with WANT,
# saved in OUT.
sanity() {
  local code
  sign_req "$1" curl >"$T/$1.curl"
  code=$(curl -sS --max-time 5 -K "$T/$1.curl" -o "$4" -w '%{http_code}' "http://127.0.0.1:$2$(path_of "$1")") || code=000
  if [ "$code" != 200 ] || ! grep -q "$3" "$4"; then
    say "load.sh: a signed $1 request to port $2 got HTTP $code, want 200 with '$3':"
    head -c 400 "$4" >&2 || true
    say ""
    exit 2
  fi
}

# metric PORT NAME: the sum of a metric's samples on the bot's /metrics.
metric() {
  curl -fsS --max-time 5 -o "$T/metrics.txt" "http://127.0.0.1:$1/metrics" || die "cannot read /metrics on port $1"
  awk -v m="$2" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%d\n", s }' "$T/metrics.txt"
}

CLK_TCK=$(getconf CLK_TCK)
kib() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; } # kib PID VmHWM|VmRSS
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }                # user + system CPU
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
round() { awk -v d="$1" '{ printf "%.*f\n", d, $1 }'; } # round DECIMALS: stdin to stdout
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# busy: CPU time the whole machine has spent not idle (all CPUs), in ticks.
busy() { head -1 /proc/stat | awk '{ print $2 + $3 + $4 + $7 + $8 + $9 }'; }

# measure EP PORT PID SECONDS OUT [DELAY_MS]: a fresh signature, then wrk
# against the server, at full speed or, with DELAY_MS, with each connection
# pausing that long after each answer; OUT gets one line of NAME=value pairs: requests duration_us non200
# connect read write timeout status p50_us p99_us max_us (from the wrk script
# bench/sign prints), then rps, errors, cpu_us (server CPU per request) and
# other_pct: CPU used meanwhile by everything but the server and wrk, in
# percent of one CPU (steal included).
measure() {
  sign_req "$1" lua -delay "${6:-0}" >"$T/$1.lua"
  local t0 t1 m0 m1 wrk_cpu rc=0 url
  url="http://127.0.0.1:$2$(path_of "$1")"
  t0=$(ticks "$3") m0=$(busy)
  # wrk runs in the background so that a signal interrupts the wait at once
  # (cleanup then stops it); `times` (no subshell) gives the CPU time of
  # the children waited for: wrk and its timeout.
  times >"$5.t0"
  "${ON_WRK_CPU[@]}" timeout $(( $4 + 30 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4s" --timeout 2s --latency -s "$T/$1.lua" "$url" >"$5.wrk" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || rc=$?
  times >"$5.t1"
  WRK_PID=""
  if [ "$rc" != 0 ]; then
    say "load.sh: wrk failed (exit status $rc):"; cat "$5.wrk" >&2; exit 2
  fi
  t1=$(ticks "$3") m1=$(busy)
  wrk_cpu=$(awk 'FNR == 2 { gsub(/[ms]/, " "); c[FILENAME] = $1 * 60 + $2 + $3 * 60 + $4 } END { print c[ARGV[2]] - c[ARGV[1]] }' "$5.t0" "$5.t1")
  grep '^BENCH ' "$5.wrk" | head -1 | awk -v d=$((t1 - t0)) -v m=$((m1 - m0)) -v w="$wrk_cpu" -v hz="$CLK_TCK" -v s="$4" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      other = 100 * (m / hz - d / hz - w) / s
      printf "%s rps=%.0f errors=%d cpu_us=%.1f other_pct=%.0f\n", substr($0, 7), v["requests"] / (v["duration_us"] / 1e6),
        v["non200"] + v["connect"] + v["read"] + v["write"] + v["timeout"], d / hz * 1e6 / v["requests"], other < 0 ? 0 : other
    }' >"$5"
  [ -s "$5" ] || { say "load.sh: no BENCH line from wrk:"; cat "$5.wrk" >&2; exit 2; }
}

# measure_quiet EP PORT PID SECONDS OUT LABEL [DELAY_MS]: measure, and
# repeat the run (up to RETRIES times) while other processes used more than
# MAX_OTHER_PCT of a CPU during it.
measure_quiet() {
  local try
  for try in $(seq 0 "$RETRIES"); do
    measure "$1" "$2" "$3" "$4" "$5" "${7:-0}"
    progress "$6" "$5"
    [ "$(get "$5" other_pct)" -gt "$MAX_OTHER_PCT" ] || return 0
    DISTURBED=$((DISTURBED + 1))
    if [ "$try" -lt "$RETRIES" ]; then
      say "     other processes used $(get "$5" other_pct)% of a CPU during that run (limit $MAX_OTHER_PCT%): repeating it"
      sleep 2
    fi
  done
  say "     still disturbed after $RETRIES repeats: keeping the last run"
  STILL_DISTURBED=$((STILL_DISTURBED + 1))
}

# get FILE NAME: a value from a measure line.
get() { tr ' ' '\n' <"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
# agg FUNC NAME FILES...: median or sum of one value over runs.
agg() {
  local f=$1 k=$2 x
  shift 2
  for x in "$@"; do get "$x" "$k"; done | if [ "$f" = sum ]; then awk '{ s += $1 } END { print s + 0 }'; else median; fi
}
progress() { say "   $1: $(get "$2" rps) req/s, p50 $(ms "$(get "$2" p50_us)"), p99 $(ms "$(get "$2" p99_us)"), $(get "$2" requests) requests, $(get "$2" errors) errors, server CPU $(get "$2" cpu_us) us/request, other processes $(get "$2" other_pct)% of a CPU"; }

# cpu_idle: percentage of CPU time idle over one second, machine-wide.
cpu_idle() {
  local a b
  a=$(head -1 /proc/stat); sleep 1; b=$(head -1 /proc/stat)
  printf '%s\n%s\n' "$a" "$b" | awk '{ t = 0; for (i = 2; i <= NF; i++) t += $i; tot[NR] = t; idle[NR] = $5 + $6 }
    END { d = tot[2] - tot[1]; if (d <= 0) print 100; else printf "%.0f\n", 100 * (idle[2] - idle[1]) / d }'
}

FAILS=0
# judge 1|0: sets R to PASS or FAIL and counts failures. Call it in this
# shell, not in $(...), or the count is lost.
judge() { if [ "$1" = 1 ]; then R=PASS; else R=FAIL; FAILS=$((FAILS + 1)); fi; }
yes_if() { if "$@"; then echo 1; else echo 0; fi; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -1)" ] || commit="$commit with uncommitted changes"

cat <<EOF
## agreementbot load test

- $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(go env GOVERSION), $(wrk -v 2>&1 | head -1 | awk '{ print "wrk " $2 }'), $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), load average $(cut -d' ' -f1-3 /proc/loadavg) at start; the servers and wrk run on the same machine
- the ceiling answers every request with the bot's own reply to it, captured once before the runs (a fixed reply of the same bytes), so the throughput ratio measures the bot's own work, not the size of a country card; a run of the ceiling with a few dozen bytes is shown for information
- throughput: wrk, $THREADS threads, $CONNECTIONS connections at full speed, $ROUNDS runs of ${DURATION_S} s per server, ceiling and bot alternately, ceiling first, after a ${WARMUP_S} s warm-up; every request carries a correct signature and the servers verify each one
- latency: $LATENCY_ROUNDS runs of ${DURATION_S} s per server, alternately, with the same $CONNECTIONS connections, each waiting ${LATENCY_DELAY_MS} ms after each answer (a fixed load below saturation); at full speed wrk keeps all $CONNECTIONS requests in flight, so the full-speed p99 measures that queue (shown for information)
- $(if [ "$PIN" = 1 ]; then echo "CPUs: each server runs on CPU 0 and wrk on CPU 1 (taskset), so req/s measures the servers, not the load generator's share of the CPUs; Go sizes GOMAXPROCS to the one CPU"; else echo "CPUs: the servers and wrk share every CPU (PIN=0)"; fi)
- agreementbot serve: rate limits off (RATE_LIMIT_PER_USER=0, RATE_LIMIT_GLOBAL=0) and **LOG_LEVEL=warn: the per-command info log line is off in the measured runs**
- req/s, p50, p99 and CPU per request are medians over the runs; errors and requests are totals; errors are responses other than 200 plus socket errors (connect, read, write, timeout); server CPU per request is the server's user + system time over the run (/proc/PID/stat) divided by the requests answered
- a run during which other processes used more than ${MAX_OTHER_PCT}% of a CPU is repeated, up to $RETRIES times
EOF

for ep in $ENDPOINTS; do
  if [ "$ep" = slack ]; then
    ratio_target=$TARGET_RATIO_slack
    title="Slack: POST /slack/commands (slash command /agreement uganda, HMAC-SHA256)"
  else
    ratio_target=$TARGET_RATIO_discord
    title="Discord: POST /discord/interactions (application command, query uganda, Ed25519)"
  fi

  idle=$(cpu_idle)
  say "== $ep: CPU ${idle}% idle before the run"
  start_bot "$ep" warn; b_port=$PORT; b_pid=$PID
  sanity "$ep" "$b_port" Uganda "$T/$ep.bot.reply"
  bytes=$(wc -c <"$T/$ep.bot.reply")
  start_ceiling "$ep" "$T/$ep.bot.reply"; c_port=$PORT; c_pid=$PID
  sanity "$ep" "$c_port" Uganda "$T/$ep.ceiling.reply"
  cmp -s "$T/$ep.bot.reply" "$T/$ep.ceiling.reply" || die "the ceiling does not answer with the bot's reply"
  sleep 1
  g_idle=$(metric "$b_port" go_goroutines)
  sig0=$(metric "$b_port" agreementbot_signature_failures_total)
  lim0=$(metric "$b_port" agreementbot_rate_limited_total)
  say "   ceiling pid $c_pid on 127.0.0.1:$c_port, bot pid $b_pid on 127.0.0.1:$b_port; bot idle: $g_idle goroutines"

  c_runs=() b_runs=() ratios=()
  for r in $(seq "$ROUNDS"); do
    for who in ceiling bot; do
      if [ "$who" = ceiling ]; then port=$c_port pid=$c_pid; else port=$b_port pid=$b_pid; fi
      if [ "$r" = 1 ] && [ "$WARMUP_S" -gt 0 ]; then
        say "   $who: ${WARMUP_S} s warm-up"
        measure "$ep" "$port" "$pid" "$WARMUP_S" "$T/$ep.$who.warmup"
      fi
      out="$T/$ep.$who.$r"
      measure_quiet "$ep" "$port" "$pid" "$DURATION_S" "$out" "$who, run $r"
      if [ "$who" = ceiling ]; then c_runs+=("$out"); else b_runs+=("$out"); fi
    done
    ratios+=("$(awk -v b="$(get "${b_runs[-1]}" rps)" -v c="$(get "${c_runs[-1]}" rps)" 'BEGIN { printf "%.2f\n", b / c }')")
  done

  # Latency at a fixed load below saturation, ceiling and bot alternately.
  c_lats=() b_lats=()
  for r in $(seq "$LATENCY_ROUNDS"); do
    for who in ceiling bot; do
      if [ "$who" = ceiling ]; then port=$c_port pid=$c_pid; else port=$b_port pid=$b_pid; fi
      out="$T/$ep.$who.latency.$r"
      measure_quiet "$ep" "$port" "$pid" "$DURATION_S" "$out" "$who, latency run $r (${LATENCY_DELAY_MS} ms pause per connection)" "$LATENCY_DELAY_MS"
      if [ "$who" = ceiling ]; then c_lats+=("$out"); else b_lats+=("$out"); fi
    done
  done
  # c_lat NAME and b_lat NAME: the median of one value over the latency runs.
  c_lat() { agg median "$1" "${c_lats[@]}"; }
  b_lat() { agg median "$1" "${b_lats[@]}"; }

  # Let the connections close, then see what is left.
  sleep 2
  g_after=$(metric "$b_port" go_goroutines)
  for _ in $(seq 10); do
    [ "$g_after" -gt "$g_idle" ] || break
    sleep 1
    g_after=$(metric "$b_port" go_goroutines)
  done
  sigs=$(( $(metric "$b_port" agreementbot_signature_failures_total) - sig0 ))
  lims=$(( $(metric "$b_port" agreementbot_rate_limited_total) - lim0 ))
  c_hwm=$(kib "$c_pid" VmHWM) c_rss=$(kib "$c_pid" VmRSS)
  b_hwm=$(kib "$b_pid" VmHWM) b_rss=$(kib "$b_pid" VmRSS)
  stop "$b_pid"
  stop "$c_pid"

  c_rps=$(agg median rps "${c_runs[@]}" | round 0) b_rps=$(agg median rps "${b_runs[@]}" | round 0)
  b_p99=$(b_lat p99_us)
  b_err=$(agg sum errors "${b_runs[@]}" "${b_lats[@]}") b_req=$(agg sum requests "${b_runs[@]}" "${b_lats[@]}")
  ratio=$(printf '%s\n' "${ratios[@]}" | median)
  ratio=$(awk -v r="$ratio" 'BEGIN { printf "%.2f", r }')
  c_cpu=$(agg median cpu_us "${c_runs[@]}" | round 1) b_cpu=$(agg median cpu_us "${b_runs[@]}" | round 1)

  extra_rows=() extra_notes=()
  if [ "$EXTRA_RUNS" = 1 ]; then
    # The bot with its per-command info log line on.
    start_bot "$ep" info; i_port=$PORT; i_pid=$PID
    sanity "$ep" "$i_port" Uganda "$T/$ep.info.reply"
    [ "$WARMUP_S" = 0 ] || measure "$ep" "$i_port" "$i_pid" "$WARMUP_S" "$T/$ep.info.warmup"
    lines0=$(grep -c 'answered' "$T/bot.$ep.info.log" || true)
    out="$T/$ep.info"
    measure_quiet "$ep" "$i_port" "$i_pid" "$DURATION_S" "$out" "bot with LOG_LEVEL=info"
    sleep 1
    lines=$(( $(grep -c 'answered' "$T/bot.$ep.info.log" || true) - lines0 ))
    i_hwm=$(kib "$i_pid" VmHWM) i_rss=$(kib "$i_pid" VmRSS)
    stop "$i_pid"
    extra_rows+=("| agreementbot serve, LOG_LEVEL=info (1 run, for information) | $(get "$out" rps) | $(ms "$(get "$out" p50_us)") | $(ms "$(get "$out" p99_us)") | $(get "$out" errors) | $(get "$out" requests) | $(mib "$i_hwm") | $(mib "$i_rss") | $(get "$out" cpu_us) µs | $(awk -v b="$(get "$out" rps)" -v c="$c_rps" 'BEGIN { printf "%.2f", b / c }') |")
    extra_notes+=("With LOG_LEVEL=info the bot wrote $(awk -v l="$lines" -v n="$(get "$out" requests)" 'BEGIN { printf "%.2f", l / n }') \"answered\" log lines per request (to a file).")

    # The ceiling answering a few dozen bytes: what the reply's size costs.
    start_ceiling "$ep"; s_port=$PORT; s_pid=$PID
    sanity "$ep" "$s_port" '"ok"' "$T/$ep.small.reply"
    [ "$WARMUP_S" = 0 ] || measure "$ep" "$s_port" "$s_pid" "$WARMUP_S" "$T/$ep.small.warmup"
    out="$T/$ep.small"
    measure_quiet "$ep" "$s_port" "$s_pid" "$DURATION_S" "$out" "ceiling with a $(wc -c <"$T/$ep.small.reply")-byte reply"
    s_hwm=$(kib "$s_pid" VmHWM) s_rss=$(kib "$s_pid" VmRSS)
    stop "$s_pid"
    extra_rows+=("| ceiling answering $(wc -c <"$T/$ep.small.reply") bytes instead of the bot's reply (1 run, for information) | $(get "$out" rps) | $(ms "$(get "$out" p50_us)") | $(ms "$(get "$out" p99_us)") | $(get "$out" errors) | $(get "$out" requests) | $(mib "$s_hwm") | $(mib "$s_rss") | $(get "$out" cpu_us) µs | $(awk -v b="$(get "$out" rps)" -v c="$c_rps" 'BEGIN { printf "%.2f", b / c }') |")
    extra_notes+=("Against the ceiling answering $(wc -c <"$T/$ep.small.reply") bytes the bot's req/s ratio is $(awk -v b="$b_rps" -v c="$(get "$out" rps)" 'BEGIN { printf "%.2f", b / c }') (one run, so noisier than the ratio above).")
  fi

  judge "$(yes_if ge "$ratio" "$ratio_target")"; v_ratio=$R
  judge "$(yes_if lt "$b_p99" $((TARGET_P99_MS * 1000)))"; v_p99=$R
  judge "$(yes_if test "$b_err" -eq 0 -a "$b_req" -ge "$TARGET_MIN_REQUESTS")"; v_err=$R
  judge "$(yes_if test "$sigs" -eq 0 -a "$lims" -eq 0)"; v_ctr=$R
  judge "$(yes_if test "$b_rss" -lt $((TARGET_RSS_MIB * 1024)))"; v_rss=$R
  judge "$(yes_if test "$g_after" -le "$g_idle")"; v_gor=$R

  echo
  echo "### $title"
  echo
  echo "Other processes used $(agg median other_pct "${c_runs[@]}" "${b_runs[@]}")% of a CPU (median) during the measured runs; the machine was ${idle}% idle just before them."
  echo
  echo "| server | req/s | p50 | p99 | errors | requests | peak RSS | RSS after | server CPU/request | req/s vs ceiling |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  echo "| ceiling: net/http, standard-library verification, the bot's $bytes-byte reply as a fixed reply | $c_rps | $(ms "$(agg median p50_us "${c_runs[@]}")") | $(ms "$(agg median p99_us "${c_runs[@]}")") | $(agg sum errors "${c_runs[@]}") | $(agg sum requests "${c_runs[@]}") | $(mib "$c_hwm") | $(mib "$c_rss") | $c_cpu µs | 1 |"
  echo "| **agreementbot serve**, LOG_LEVEL=warn | $b_rps | $(ms "$(agg median p50_us "${b_runs[@]}")") | $(ms "$(agg median p99_us "${b_runs[@]}")") | $(agg sum errors "${b_runs[@]}") | $(agg sum requests "${b_runs[@]}") | $(mib "$b_hwm") | $(mib "$b_rss") | $b_cpu µs | **$ratio** |"
  for row in "${extra_rows[@]}"; do echo "$row"; done
  echo "| latency runs: ceiling, ${LATENCY_DELAY_MS} ms pause per connection | $(c_lat rps | round 0) | $(ms "$(c_lat p50_us)") | $(ms "$(c_lat p99_us)") | $(agg sum errors "${c_lats[@]}") | $(agg sum requests "${c_lats[@]}") | | | $(c_lat cpu_us | round 1) µs | |"
  echo "| **latency runs: agreementbot serve**, ${LATENCY_DELAY_MS} ms pause per connection | $(b_lat rps | round 0) | $(ms "$(b_lat p50_us)") | **$(ms "$b_p99")** | $(agg sum errors "${b_lats[@]}") | $(agg sum requests "${b_lats[@]}") | | | $(b_lat cpu_us | round 1) µs | |"
  echo
  echo "bot/ceiling req/s per round: ${ratios[*]} (the ratio above is their median). Server CPU per request, ceiling/bot: $(awk -v c="$c_cpu" -v b="$b_cpu" 'BEGIN { printf "%.2f", c / b }'), which moves much less than req/s when other work shares the machine. ${extra_notes[*]}"
  echo
  echo "| target (agreementbot serve, LOG_LEVEL=warn) | bot | result | ceiling, for comparison |"
  echo "|---|---|---|---|"
  echo "| throughput >= ${ratio_target}x the ceiling's | ${ratio}x | $v_ratio | 1x |"
  echo "| p99 < ${TARGET_P99_MS} ms at $CONNECTIONS connections (latency runs, $(b_lat rps | round 0) req/s offered; median of $LATENCY_ROUNDS) | $(ms "$b_p99") | $v_p99 | $(ms "$(c_lat p99_us)") |"
  echo "| zero errors over >= $TARGET_MIN_REQUESTS requests | $b_err errors in $b_req requests | $v_err | $(agg sum errors "${c_runs[@]}" "${c_lats[@]}") errors in $(agg sum requests "${c_runs[@]}" "${c_lats[@]}") requests |"
  echo "| the bot's own counters agree: no signature failures, no rate limiting | $sigs signature failures, $lims rate-limited | $v_ctr | |"
  echo "| RSS < ${TARGET_RSS_MIB} MiB after the run | $(mib "$b_rss") | $v_rss | $(mib "$c_rss") |"
  echo "| goroutines back to the idle level | $g_idle idle, $g_after after | $v_gor | |"
done

echo
echo "$DISTURBED run(s) were disturbed by other processes and repeated; $STILL_DISTURBED were still disturbed after $RETRIES repeats and were kept."
echo
if [ "$FAILS" = 0 ]; then
  echo "All targets met."
  exit 0
fi
echo "$FAILS target(s) missed."
exit 1
