#!/bin/sh
# Runs "$@" for `twoheads grade` inside new user, mount, network, PID, IPC, UTS and cgroup namespaces
# (started with unshare by the grader): everything is read-only but the grading folder $SANDBOX_WORK;
# the Go build cache $SANDBOX_GOCACHE is an overlay whose writes land in the grading folder (so a
# submission cannot change what other submissions compile); /dev holds only null, zero, full, random,
# urandom, tty and a fresh shm; /proc shows only the run's processes, its kernel knobs read-only; the
# network is loopback only. When the grader kills the first process, the kernel
# kills every other process of the namespace.
set -eu

ip link set lo up 2>/dev/null || { echo "sandbox: cannot bring up loopback (is ip installed?)" >&2; exit 97; }

mount --bind "$SANDBOX_WORK" "$SANDBOX_WORK"
if [ -n "${SANDBOX_GOCACHE:-}" ] && [ -d "$SANDBOX_GOCACHE" ]; then
	mkdir -p "$SANDBOX_WORK/.gocache-upper" "$SANDBOX_WORK/.gocache-work"
	mount -t overlay overlay -o "lowerdir=$SANDBOX_GOCACHE,upperdir=$SANDBOX_WORK/.gocache-upper,workdir=$SANDBOX_WORK/.gocache-work" "$SANDBOX_GOCACHE" 2>/dev/null ||
		mount --bind "$SANDBOX_GOCACHE" "$SANDBOX_GOCACHE"
fi
# A /dev of its own, with only the harmless devices: the host's /dev has disks that the grader's user
# (root, when it runs as root) could open.
dev="$SANDBOX_WORK/.dev"
mkdir -p "$dev"
mount -t tmpfs -o size=1m,mode=755 tmpfs "$dev"
for d in null zero full random urandom tty; do
	touch "$dev/$d"
	mount --bind "/dev/$d" "$dev/$d"
done
mkdir "$dev/shm" && mount -t tmpfs -o size=64m tmpfs "$dev/shm"
ln -s /proc/self/fd "$dev/fd" && ln -s /proc/self/fd/0 "$dev/stdin" && ln -s /proc/self/fd/1 "$dev/stdout" && ln -s /proc/self/fd/2 "$dev/stderr"
mount --move "$dev" /dev
# The kernel's knobs under /proc stay read-only (the /proc of this PID namespace is writable otherwise).
for p in /proc/sys /proc/sysrq-trigger /proc/irq /proc/bus /proc/fs; do
	[ -e "$p" ] && mount --bind "$p" "$p" && mount -o remount,bind,ro "$p"
done

# Every other mount becomes read-only (keeping its locked flags, which a user namespace may not drop).
while read -r _ _ _ _ point opts _; do
	case "$point" in
	/proc | /proc/* | /dev/shm | "$SANDBOX_WORK" | "$SANDBOX_GOCACHE") continue ;;
	esac
	point=$(printf '%b' "$point") # mountinfo escapes spaces as \040
	mount -o "remount,bind,ro,$(echo "$opts" | sed 's/^rw,\{0,1\}//; s/,rw,/,/; s/,rw$//')" "$point" 2>/dev/null || true
done </proc/self/mountinfo
if touch / 2>/dev/null && [ -w / ]; then
	echo "sandbox: could not make the file system read-only" >&2
	exit 97
fi

exec "$@"
