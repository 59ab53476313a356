#!/bin/sh
# Makes sure redis-server is installed before the Redis suites run (npm run test:redis):
# installs it with apt-get when we are root, otherwise says what to do and fails.
set -eu
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-redis: redis-server not found; installing it with apt-get" >&2
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server
  exit 0
fi
echo "ensure-redis: redis-server is not installed and this is not root with apt-get." >&2
echo "  Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis)" >&2
echo "  and run npm run test:redis again. The Redis suites start their own redis-server on a free port." >&2
exit 1
