#!/usr/bin/env bash
# Services the tests need beyond Python, for CI and for developers' machines:
#   - Debian's `postgresql` and `chromium` packages (installed when missing; needs root);
#   - a throwaway PostgreSQL server in a temporary directory, on 127.0.0.1 and a free port.
# Source it (`. .ci/services.sh`): it exports PARALLAX_TEST_PG_URL and defines
# `parallax_services_stop`, which stops the server and removes its data.
# It only warns when something cannot be set up; the tests then skip (outside CI) or fail.

parallax_services_setup() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "services: installing postgresql chromium (missing: ${missing[*]})" >&2
      apt-get update -qq >&2 || echo "services: apt-get update failed" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql chromium >&2 \
        || echo "services: apt-get install failed" >&2
    else
      echo "services: missing ${missing[*]} and not root; install them with apt-get" >&2
    fi
  fi

  if [ -n "${PARALLAX_TEST_PG_URL:-}" ]; then
    echo "services: using PARALLAX_TEST_PG_URL from the environment" >&2
    return 0
  fi
  if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    echo "services: no PostgreSQL server programs; PostgreSQL tests will not run" >&2
    return 0
  fi
  local bindir
  bindir=$(dirname "$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1)")
  local run=()
  PARALLAX_PG_DIR=$(mktemp -d /tmp/parallax-ci-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    # initdb and postgres refuse to run as root.
    chown postgres:postgres "$PARALLAX_PG_DIR"
    run=(runuser -u postgres --)
  fi
  chmod 700 "$PARALLAX_PG_DIR"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if ! "${run[@]}" "$bindir/initdb" -D "$PARALLAX_PG_DIR/data" -A trust -U parallax -E UTF8 \
      --no-sync >"$PARALLAX_PG_DIR/initdb.log" 2>&1; then
    echo "services: initdb failed:" >&2; tail -n 5 "$PARALLAX_PG_DIR/initdb.log" >&2
    return 0
  fi
  if ! "${run[@]}" "$bindir/pg_ctl" -D "$PARALLAX_PG_DIR/data" -l "$PARALLAX_PG_DIR/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $PARALLAX_PG_DIR -c fsync=off" \
      -w -t 60 start >/dev/null; then
    echo "services: PostgreSQL did not start:" >&2; tail -n 5 "$PARALLAX_PG_DIR/server.log" >&2
    return 0
  fi
  export PARALLAX_PG_BINDIR="$bindir" PARALLAX_PG_DIR
  if ! "${run[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U parallax parallax_test; then
    echo "services: createdb failed" >&2
    return 0
  fi
  export PARALLAX_TEST_PG_URL="postgresql://parallax@127.0.0.1:$port/parallax_test"
  echo "services: PostgreSQL ready at $PARALLAX_TEST_PG_URL" >&2
}

parallax_services_stop() {
  if [ -n "${PARALLAX_PG_DIR:-}" ] && [ -d "$PARALLAX_PG_DIR/data" ]; then
    local run=()
    [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
    "${run[@]}" "$PARALLAX_PG_BINDIR/pg_ctl" -D "$PARALLAX_PG_DIR/data" -m fast -w stop \
      >/dev/null 2>&1 || true
    rm -rf "$PARALLAX_PG_DIR"
  fi
}

parallax_services_setup
