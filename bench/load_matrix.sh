#!/bin/bash
# load_matrix.sh <worktree> <port> <label> <workers>x<threads>...: for each configuration, start gunicorn
# (bench's serve.sh: production settings on the scale-1 demo), run bench/load.py twice, print the load average
# before each run, stop the server. Usage:
#   bench/load_matrix.sh /work/wt/render 8617 after 3x1 3x4 2x4
# SECONDS_EACH (default 30) is each run's measured time.
tree=$1; port=$2; label=$3; shift 3
for config in "$@"; do
  workers=${config%x*}; threads=${config#*x}
  /work/bench/serve.sh "$tree" "$port" "$workers" "$threads" > "/tmp/serve-$port.log" 2>&1 &
  server=$!
  for _ in $(seq 60); do curl -fs -o /dev/null -H "Host: portal.bench.test" -H "X-Forwarded-Proto: https" \
    "http://127.0.0.1:$port/healthz" && break; sleep 1; done
  for run in 1 2; do
    echo "== $label workers=$workers threads=$threads run $run; $(date -u +%FT%TZ); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    /work/main/.venv/bin/python "$tree/bench/load.py" --base "http://127.0.0.1:$port" \
      --portal-host portal.bench.test --seconds "${SECONDS_EACH:-30}"
  done
  kill "$server"; wait "$server" 2>/dev/null
done
