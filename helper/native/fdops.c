/*
 * Two one-shot system calls Node has no binding for, made on a descriptor the caller hands over
 * as fd 3 (a spawn's extra stdio slot shares the caller's open file description):
 *
 *   netloom-nsread --flock      flock(3, LOCK_EX), waiting: exit 0 once locked.
 *   netloom-nsread --flock-nb   flock(3, LOCK_EX | LOCK_NB): exit 0 locked, 1 held by another.
 *   netloom-nsread --peercred   getsockopt(3, SO_PEERCRED) of a Unix socket: prints "PID UID GID".
 *   netloom-nsread --cookie PATH…  each namespace's cookie (SO_NETNS_COOKIE, Linux ≥ 5.14), one
 *                               line each, "-" where it cannot be read. A namespace's inode number
 *                               is reused as soon as the namespace is freed; its cookie never is —
 *                               so the journal can tell netloom's namespace from one made later
 *                               under the same name (helper/intents/step-identity.ts).
 *
 * A flock belongs to the open file description, not to this process: when this program exits
 * the lock stays with the caller's own descriptor, and the kernel drops it when the caller
 * closes it or dies (kill -9 included). That is what makes the journal lock exclusive across
 * processes with nothing stale to take over (helper/intents/journal-lock.ts).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>

#include "nsread.h"

#define HANDED_FD 3
#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

int lock_handed_fd(int wait)
{
	while (flock(HANDED_FD, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK)
			return 1;
		fprintf(stderr, "netloom-nsread: flock: %s\n", strerror(errno));
		return 2;
	}
	return 0;
}

int print_peer_cred(void)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	if (getsockopt(HANDED_FD, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		fprintf(stderr, "netloom-nsread: SO_PEERCRED: %s\n", strerror(errno));
		return 2;
	}
	printf("%d %u %u\n", (int)cred.pid, (unsigned)cred.uid, (unsigned)cred.gid);
	return fflush(stdout) == 0 ? 0 : 2;
}

/* A socket made inside the namespace answers SO_NETNS_COOKIE for it. */
static int cookie_here(uint64_t *cookie)
{
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	socklen_t len = sizeof *cookie;
	int rc = getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len);
	close(s);
	return rc;
}

int print_cookies(int argc, char **argv)
{
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		perror("netloom-nsread: /proc/self/ns/net");
		return 2;
	}
	for (int i = 0; i < argc; i++) {
		uint64_t cookie = 0;
		int fd = argv[i][0] == '/' ? open(argv[i], O_RDONLY | O_CLOEXEC) : -1;
		int ok = fd >= 0 && setns(fd, CLONE_NEWNET) == 0 && cookie_here(&cookie) == 0;
		if (fd >= 0)
			close(fd);
		if (setns(home, CLONE_NEWNET) < 0) {
			perror("netloom-nsread: setns home");
			return 2;
		}
		if (ok)
			printf("%llu\n", (unsigned long long)cookie);
		else
			printf("-\n");
	}
	close(home);
	return fflush(stdout) == 0 ? 0 : 2;
}
