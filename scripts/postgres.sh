#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 and that the test database exists.
# Starts the local cluster when it is installed but stopped; installs Debian's postgresql when
# there is none. Exits non-zero when no server can be reached: the PostgreSQL tests then fail.
set -euo pipefail
host=127.0.0.1; port=5432; db="${ENTEGRATOR_TEST_PG_DB:-entegrator_test}"
sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"

ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "postgres: installing Debian's postgresql"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
fi
if ! ready; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$version" ]; then
    echo "postgres: starting cluster $version/main"
    $sudo_cmd pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
ready || { echo "postgres: no server on $host:$port" >&2; exit 1; }

psql_cmd=(psql -h "$host" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA)
if ! "${psql_cmd[@]}" -d postgres -c "select 1" >/dev/null 2>&1; then
  # Fresh Debian clusters allow only peer auth for postgres over the socket: open loopback.
  hba=$(su postgres -c "psql -qtA -c 'show hba_file'")
  if ! grep -q "entegrator-test" "$hba"; then
    printf '# entegrator-test: trust loopback for the test suite\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' \
      | cat - "$hba" > "$hba.new" && mv "$hba.new" "$hba" && chown postgres: "$hba"
    su postgres -c "psql -qtA -c 'select pg_reload_conf()'" >/dev/null
  fi
fi
if [ "$("${psql_cmd[@]}" -d postgres -c "select 1 from pg_database where datname='$db'")" != "1" ]; then
  "${psql_cmd[@]}" -d postgres -c "create database $db"
fi
echo "postgres: ready at $host:$port, database $db"
