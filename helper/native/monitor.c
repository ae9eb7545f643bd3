#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsread.h"

/*
 * --monitor: the live watcher's one process for every namespace (instead of an `ip monitor` in
 * each). For "+ID PATH" on stdin it enters the namespace, opens a netlink socket subscribed to
 * link, address and route changes, and comes back home — the socket stays bound to that
 * namespace. When a socket has news, it is drained and "ID" is printed: the helper re-reads that
 * namespace. "-ID" closes it (the namespace can then be freed). "!ID errno step" reports an ID
 * that could not be watched. EOF on stdin ends the program.
 */

struct watch {
	char id[64];
	int sock;
};

static struct watch *watches;
static size_t nwatches;

struct monitor_ctx {
	int home, ep;
};

static void monitor_add(const char *id, const char *path, void *arg)
{
	int home = ((struct monitor_ctx *)arg)->home, ep = ((struct monitor_ctx *)arg)->ep;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	const char *step = "open";
	int sock = -1, err = 0;
	if (fd >= 0) {
		step = "setns";
		struct stat st;
		int at_home = fstat(fd, &st) == 0 && same_namespace(&st, &home_st);
		if (at_home || setns(fd, CLONE_NEWNET) == 0) {
			step = "socket";
			sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
			struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
						  .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
							       RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE |
							       /* policy routing and rp_filter/forwarding: Explain reads them */
							       (1 << (RTNLGRP_IPV4_RULE - 1)) | (1 << (RTNLGRP_IPV6_RULE - 1)) |
							       (1 << (RTNLGRP_IPV4_NETCONF - 1)) | (1 << (RTNLGRP_IPV6_NETCONF - 1)) };
			if (sock >= 0 && bind(sock, (struct sockaddr *)&sa, sizeof sa) < 0) {
				step = "bind";
				err = errno;
				close(sock);
				sock = -1;
			} else if (sock < 0)
				err = errno;
			if (!at_home && setns(home, CLONE_NEWNET) < 0) {
				perror("netloom-nsread: back to its own namespace");
				exit(2);
			}
		} else
			err = errno;
		close(fd);
	} else
		err = errno;
	if (sock < 0) {
		printf("!%s %d %s\n", id, err, step);
		return;
	}
	size_t slot = 0;
	while (slot < nwatches && watches[slot].sock >= 0)
		slot++;
	if (slot == nwatches) {
		watches = realloc(watches, (nwatches + 1) * sizeof *watches);
		if (!watches)
			exit(2);
		nwatches++;
	}
	snprintf(watches[slot].id, sizeof watches[slot].id, "%s", id);
	watches[slot].sock = sock;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = slot + 1 };
	epoll_ctl(ep, EPOLL_CTL_ADD, sock, &ev);
}

static void monitor_remove(const char *id)
{
	for (size_t i = 0; i < nwatches; i++) {
		if (watches[i].sock >= 0 && strcmp(watches[i].id, id) == 0) {
			close(watches[i].sock); /* closing also takes it out of the epoll set */
			watches[i].sock = -1;
		}
	}
}

int monitor(void)
{
	static char drain[1 << 16];
	static struct commands cmds = { .add = monitor_add, .remove = monitor_remove };
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (home < 0 || ep < 0 || fstat(home, &home_st) < 0) {
		perror("netloom-nsread --monitor");
		return 2;
	}
	struct monitor_ctx ctx = { home, ep };
	cmds.ctx = &ctx;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0 };
	epoll_ctl(ep, EPOLL_CTL_ADD, STDIN_FILENO, &ev);
	for (;;) {
		struct epoll_event events[64];
		int n = epoll_wait(ep, events, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 2;
		}
		for (int i = 0; i < n; i++) {
			if (events[i].data.u64 == 0) {
				if (!read_commands(&cmds))
					return 0; /* the helper is gone */
				continue;
			}
			struct watch *w = &watches[events[i].data.u64 - 1];
			if (w->sock < 0)
				continue;
			/* Drain everything queued; an overrun (ENOBUFS) still means "changed". */
			while (recv(w->sock, drain, sizeof drain, MSG_DONTWAIT) > 0 || errno == ENOBUFS)
				;
			printf("%s\n", w->id);
		}
		fflush(stdout);
	}
}
