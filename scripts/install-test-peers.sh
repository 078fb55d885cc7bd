#!/bin/sh
# Installs the Debian packages of the real test peers (docker-registry, Apache + git http-backend,
# Ceph radosgw). Idempotent and quiet: does nothing when every binary is already there. Run as root.
set -eu

PACKAGES="docker-registry apache2 apache2-utils git openssl ceph-mon ceph-osd radosgw"
BINARIES="/usr/bin/docker-registry /usr/sbin/apache2 /usr/bin/htpasswd /usr/bin/git /usr/bin/openssl /usr/bin/ceph-mon /usr/bin/ceph-osd /usr/bin/radosgw /usr/bin/radosgw-admin"

missing=""
for binary in $BINARIES; do
  [ -x "$binary" ] || missing="$missing $binary"
done
if [ -z "$missing" ]; then
  exit 0
fi

echo "install-test-peers: installing (missing:$missing)"
export DEBIAN_FRONTEND=noninteractive
# The tests start each peer themselves: forbid the packages' own service starts during the install.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
