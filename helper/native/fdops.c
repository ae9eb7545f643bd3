/*
 * Two one-shot system calls Node has no binding for, made on a descriptor the caller hands over
 * as fd 3 (a spawn's extra stdio slot shares the caller's open file description):
 *
 *   netloom-nsread --flock      flock(3, LOCK_EX), waiting: exit 0 once locked.
 *   netloom-nsread --flock-nb   flock(3, LOCK_EX | LOCK_NB): exit 0 locked, 1 held by another.
 *   netloom-nsread --peercred   getsockopt(3, SO_PEERCRED) of a Unix socket: prints "PID UID GID".
 *
 * A flock belongs to the open file description, not to this process: when this program exits
 * the lock stays with the caller's own descriptor, and the kernel drops it when the caller
 * closes it or dies (kill -9 included). That is what makes the journal lock exclusive across
 * processes with nothing stale to take over (helper/intents/journal-lock.ts).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>

#include "nsread.h"

#define HANDED_FD 3

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
