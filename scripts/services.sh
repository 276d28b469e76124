#!/usr/bin/env bash
# Throw-away Redis and PostgreSQL for the scale-out mode's tests and benchmarks (and for trying it by hand).
#
#   eval "$(bash scripts/services.sh start)"   # installs if missing, starts both on random loopback ports,
#                                              # prints: export DATABASE_URL=… REDIS_URL=… VTRACER_SERVICES_DIR=…
#   bash scripts/services.sh env               # prints the same exports again (needs VTRACER_SERVICES_DIR)
#   bash scripts/services.sh stop              # stops both and removes their data dirs (VTRACER_SERVICES_DIR)
#
# PostgreSQL comes from Debian's packages (initdb/pg_ctl under /usr/lib/postgresql/*/bin), in a temporary data
# dir owned by the `postgres` user when run as root (PostgreSQL refuses to run as root); trust auth on
# 127.0.0.1 only. Redis runs without persistence. Missing packages are installed by scripts/lib/apt.sh (as root,
# or through sudo). Logs go to stderr so that stdout stays eval-able.
set -euo pipefail
source "$(dirname "$0")/lib/apt.sh"

log() { echo "services: $*" >&2; }

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

install_missing() {
  apt_want redis-server -- command -v redis-server
  apt_want postgresql -- pg_bin
  apt_install_wanted services
}

# Runs a command as the postgres user when we are root, else as ourselves.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

print_env() {
  local dir=$1
  cat "$dir/env"
}

start() {
  install_missing
  local dir bin pgport redisport
  dir=$(mktemp -d "${TMPDIR:-/tmp}/vtracer-services.XXXXXX")
  STARTED_DIR=$dir
  chmod 755 "$dir"
  bin=$(pg_bin)

  # PostgreSQL
  mkdir -p "$dir/pg"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres: "$dir/pg"
  fi
  as_pg "$bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; log "initdb failed"; return 1; }
  pgport=$(free_port)
  as_pg "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
    -o "-p $pgport -h 127.0.0.1 -k $dir/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >&2 \
    || { cat "$dir/pg/server.log" >&2; log "PostgreSQL did not start"; return 1; }
  echo "$bin" >"$dir/pg_bin"

  # Redis
  redisport=$(free_port)
  redis-server --port "$redisport" --bind 127.0.0.1 --save '' --appendonly no --databases 256 \
    --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2
  local i
  for i in $(seq 1 100); do
    if redis-cli -p "$redisport" ping 2>/dev/null | grep -q PONG; then break; fi
    sleep 0.1
  done
  redis-cli -p "$redisport" ping 2>/dev/null | grep -q PONG || { cat "$dir/redis.log" >&2; log "Redis did not start"; return 1; }

  cat >"$dir/env" <<EOF
export DATABASE_URL=postgres://postgres@127.0.0.1:$pgport/postgres
export REDIS_URL=redis://127.0.0.1:$redisport
export VTRACER_SERVICES_DIR=$dir
EOF
  log "PostgreSQL on 127.0.0.1:$pgport, Redis on 127.0.0.1:$redisport (data in $dir)"
  START_OK=1
  print_env "$dir"
}

stop() {
  local dir=${1:-${VTRACER_SERVICES_DIR:-}}
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    log "nothing to stop (VTRACER_SERVICES_DIR not set or gone)"
    return 0
  fi
  if [ -f "$dir/redis.pid" ]; then
    kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  fi
  if [ -f "$dir/pg_bin" ] && [ -d "$dir/pg/data" ]; then
    as_pg "$(cat "$dir/pg_bin")/pg_ctl" -D "$dir/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  log "stopped and removed $dir"
}

# A start that fails half-way stops what it had started.
STARTED_DIR=""
START_OK=0
cleanup_failed_start() {
  if [ -n "$STARTED_DIR" ] && [ "$START_OK" = 0 ]; then stop "$STARTED_DIR" || true; fi
}
trap cleanup_failed_start EXIT

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  env)
    [ -n "${VTRACER_SERVICES_DIR:-}" ] && [ -f "$VTRACER_SERVICES_DIR/env" ] || { log "not started (VTRACER_SERVICES_DIR)"; exit 1; }
    print_env "$VTRACER_SERVICES_DIR" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
