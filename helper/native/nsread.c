/*
 * netloom-nsread: reads many network namespaces from one process.
 *
 * Why it exists: `ip -n NS …` (and `ip -all netns exec`) unshares a mount namespace and mounts
 * /sys for every namespace it enters, and each namespace costs at least one exec. With 200
 * namespaces that is most of discovery's time. This program enters each namespace with
 * setns(CLONE_NEWNET) only, asks the kernel over netlink, and writes what the kernel answered —
 * raw netlink messages, undecoded. All decoding is in TypeScript (helper/discover/netlink/),
 * where it is unit-tested against recorded dumps and compared with ip's own output.
 *
 * Usage:
 *   netloom-nsread PATH...           links, addresses, routes, policy rules, forwarding, the
 *                                    sysctls routing depends on, firewall tables
 *   netloom-nsread --tables PATH...  only what tells whether iptables rules changed (nftables'
 *                                    generation id, table families, legacy table names)
 *   netloom-nsread --monitor         one process watching many namespaces
 *                                    (monitor.c): stdin "+ID PATH" / "-ID", stdout "ID"
 *                                    per change
 *   netloom-nsread --keep            one thread inside each namespace (keep.c), for
 *                                    /proc/TID/net/dev: stdin "+ID PATH" / "-ID", stdout "ID TID"
 *   netloom-nsread --flock | --flock-nb | --peercred
 *                                    one system call on fd 3 (fdops.c): the journal lock, the
 *                                    desktop socket's peer credentials
 *   netloom-nsread --cookie PATH...  each namespace's never-reused cookie (fdops.c)
 *   PATH is a namespace file (/run/netns/NAME, /proc/PID/ns/net, a runtime's bind mount) or a
 *   directory whose every entry is one (/run/netns). Files are opened before any namespace is
 *   entered, so /proc/self/ns/net names the caller's own namespace.
 *
 * Output of the reading modes (stdout, little-endian), a sequence of records: u32 length (header
 * included), u32 kind, payload. Each namespace is TARGET … END; see RECORD_* below. Exit 0
 * unless stdout fails.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsread.h"

enum {
	RECORD_TARGET = 1,  /* u64 st_dev, u64 st_ino, path */
	RECORD_ERROR = 2,   /* i32 errno, step name ("open", "setns", "links", "nft", …) */
	RECORD_LINKS = 3,   /* RTM_NEWLINK messages of a dump */
	RECORD_ADDRS = 4,   /* RTM_NEWADDR messages */
	RECORD_ROUTES = 5,  /* RTM_NEWROUTE messages, every family */
	RECORD_FORWARD = 6, /* /proc/sys/net/ipv4/ip_forward as read */
	RECORD_NFT = 7,     /* one byte per nftables table: its family */
	RECORD_LEGACY = 8,  /* /proc/self/net/ip_tables_names as read (empty: module not loaded) */
	RECORD_END = 9,
	RECORD_NFT_GEN = 10, /* u32: nftables' ruleset generation, bumped by every change */
	RECORD_NFT_TABLES = 11, /* NFT_MSG_NEWTABLE messages: each table's family and name */
	RECORD_LEGACY6 = 12,    /* /proc/self/net/ip6_tables_names as read */
	RECORD_RULES = 13,      /* RTM_NEWRULE messages (ip rule), every family */
	RECORD_SYSCTLS = 14,    /* "NAME KEY VALUE\n" lines: rp_filter, route_localnet of conf/all and each interface */
};

static int tables_only;
/* The namespace this program started in: entering it needs no setns (nor, unprivileged, the right to). */
struct stat home_st;
static int current_is_home = 1;

int same_namespace(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* setns into fd's namespace, skipped when already there (the only one an unprivileged caller can read). */
static int enter(int fd)
{
	struct stat st;
	if (current_is_home && fstat(fd, &st) == 0 && same_namespace(&st, &home_st))
		return 0;
	if (setns(fd, CLONE_NEWNET) < 0)
		return -1;
	current_is_home = 0;
	return 0;
}

struct buf {
	char *data;
	size_t len, cap;
};

static void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->len + n)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (!b->data) {
			perror("netloom-nsread");
			exit(2);
		}
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void record(uint32_t kind, const void *a, size_t alen, const void *b, size_t blen)
{
	uint32_t head[2] = { (uint32_t)(8 + alen + blen), kind };
	if (fwrite(head, sizeof head, 1, stdout) != 1 || (alen && fwrite(a, alen, 1, stdout) != 1) ||
	    (blen && fwrite(b, blen, 1, stdout) != 1)) {
		perror("netloom-nsread: stdout");
		exit(1);
	}
}

static void error_record(int err, const char *step)
{
	int32_t e = err;
	record(RECORD_ERROR, &e, sizeof e, step, strlen(step));
}

static uint32_t seq;
static char rx[1 << 16];

/*
 * Sends one dump request and collects the answer's messages (NLMSG_DONE excluded) into out.
 * Returns 0, or an errno when the socket or the kernel refused.
 */
static int dump(int sock, uint16_t type, const void *req, size_t reqlen, struct buf *out)
{
	struct {
		struct nlmsghdr h;
		char payload[64];
	} msg;
	memset(&msg, 0, sizeof msg);
	msg.h.nlmsg_len = NLMSG_LENGTH(reqlen);
	msg.h.nlmsg_type = type;
	msg.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.h.nlmsg_seq = ++seq;
	memcpy(msg.payload, req, reqlen);
	if (send(sock, &msg, msg.h.nlmsg_len, 0) < 0)
		return errno;
	out->len = 0;
	for (;;) {
		ssize_t n = recv(sock, rx, sizeof rx, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (n == 0)
			return EPIPE;
		for (struct nlmsghdr *h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				return e->error ? -e->error : 0;
			}
			buf_add(out, h, h->nlmsg_len);
		}
	}
}

static void route_dumps(struct buf *b)
{
	int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (sock < 0) {
		error_record(errno, "socket");
		return;
	}
	/* A large receive buffer keeps a big dump from being cut into many small reads. */
	int size = 1 << 20;
	setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	struct ifinfomsg link = { .ifi_family = AF_UNSPEC };
	struct ifaddrmsg addr = { .ifa_family = AF_UNSPEC };
	struct rtmsg route = { .rtm_family = AF_UNSPEC };
	struct rtmsg rule = { .rtm_family = AF_UNSPEC }; /* fib_rule_hdr has rtmsg's layout */
	const struct {
		uint16_t type;
		const void *req;
		size_t len;
		uint32_t kind;
		const char *step;
	} asks[] = {
		{ RTM_GETLINK, &link, sizeof link, RECORD_LINKS, "links" },
		{ RTM_GETADDR, &addr, sizeof addr, RECORD_ADDRS, "addresses" },
		{ RTM_GETROUTE, &route, sizeof route, RECORD_ROUTES, "routes" },
		{ RTM_GETRULE, &rule, sizeof rule, RECORD_RULES, "rules" },
	};
	for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
		int err = dump(sock, asks[i].type, asks[i].req, asks[i].len, b);
		if (err)
			error_record(err, asks[i].step);
		else
			record(asks[i].kind, b->data, b->len, NULL, 0);
	}
	close(sock);
}

/* nftables' generation id: any change to the namespace's ruleset bumps it (a cheap "changed?"). */
static void nft_generation(void)
{
	int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (sock < 0) {
		error_record(errno, "nft-gen");
		return;
	}
	struct {
		struct nlmsghdr h;
		struct nfgenmsg g;
	} req = { .h = { .nlmsg_len = sizeof req, .nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETGEN,
			 .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = ++seq },
		  .g = { .nfgen_family = AF_UNSPEC, .version = NFNETLINK_V0 } };
	int err = send(sock, &req, sizeof req, 0) < 0 ? errno : 0;
	ssize_t n = err ? -1 : recv(sock, rx, sizeof rx, 0);
	if (!err && n < 0)
		err = errno;
	close(sock);
	for (struct nlmsghdr *h = (struct nlmsghdr *)rx; !err && NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
		if (h->nlmsg_type == NLMSG_ERROR) {
			err = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
			break;
		}
		struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct nfgenmsg)));
		int left = (int)h->nlmsg_len - (int)NLMSG_SPACE(sizeof(struct nfgenmsg));
		for (; left >= (int)sizeof *a && a->nla_len >= sizeof *a && a->nla_len <= left;
		     left -= NLA_ALIGN(a->nla_len), a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
			if ((a->nla_type & NLA_TYPE_MASK) == NFTA_GEN_ID && a->nla_len >= NLA_HDRLEN + 4) {
				uint32_t id;
				memcpy(&id, (char *)a + NLA_HDRLEN, 4);
				record(RECORD_NFT_GEN, &id, 4, NULL, 0); /* big-endian, as the kernel sent it */
				return;
			}
		}
	}
	error_record(err ? err : ENODATA, "nft-gen");
}

/* The families of the namespace's nftables tables: iptables-nft keeps its rules there. */
static void nft_tables(struct buf *b)
{
	int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (sock < 0) {
		error_record(errno, "nft");
		return;
	}
	struct nfgenmsg req = { .nfgen_family = AF_UNSPEC, .version = NFNETLINK_V0 };
	int err = dump(sock, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE, &req, sizeof req, b);
	close(sock);
	if (err) {
		error_record(err, "nft");
		return;
	}
	struct buf families = { 0 };
	for (size_t off = 0; off + NLMSG_HDRLEN + sizeof(struct nfgenmsg) <= b->len;) {
		struct nlmsghdr *h = (struct nlmsghdr *)(b->data + off);
		if (h->nlmsg_len < NLMSG_HDRLEN)
			break;
		struct nfgenmsg *g = NLMSG_DATA(h);
		buf_add(&families, &g->nfgen_family, 1);
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	record(RECORD_NFT, families.data, families.len, NULL, 0);
	record(RECORD_NFT_TABLES, b->data, b->len, NULL, 0);
	free(families.data);
}

/*
 * rp_filter and route_localnet of conf/all and of every interface, as "NAME KEY VALUE" lines.
 * /proc/sys/net follows the namespace of the task that opens it, so this reads the one entered.
 */
static void sysctls(void)
{
	static const char *const keys[] = { "rp_filter", "route_localnet" };
	struct buf out = { 0 };
	DIR *d = opendir("/proc/sys/net/ipv4/conf");
	if (!d) {
		error_record(errno, "sysctls");
		return;
	}
	struct dirent *e;
	char path[512], value[32], line[512];
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			snprintf(path, sizeof path, "/proc/sys/net/ipv4/conf/%s/%s", e->d_name, keys[k]);
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			ssize_t n = read(fd, value, sizeof value - 1);
			close(fd);
			if (n <= 0)
				continue;
			value[n] = 0;
			value[strcspn(value, "\n")] = 0;
			int len = snprintf(line, sizeof line, "%s %s %s\n", e->d_name, keys[k], value);
			if (len > 0 && (size_t)len < sizeof line)
				buf_add(&out, line, (size_t)len);
		}
	}
	closedir(d);
	record(RECORD_SYSCTLS, out.data, out.len, NULL, 0);
	free(out.data);
}

/* A small /proc file, read in the namespace just entered (net files follow the reader's namespace). */
static void proc_file(const char *path, uint32_t kind, const char *step, int missing_is_empty)
{
	char text[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && missing_is_empty)
			record(kind, NULL, 0, NULL, 0);
		else
			error_record(errno, step);
		return;
	}
	ssize_t n = read(fd, text, sizeof text);
	int err = errno;
	close(fd);
	if (n < 0)
		error_record(err, step);
	else
		record(kind, text, (size_t)n, NULL, 0);
}

static void read_namespace(const char *path, int fd, int open_errno, struct buf *b)
{
	uint64_t id[2] = { 0, 0 };
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0) {
		id[0] = st.st_dev;
		id[1] = st.st_ino;
	}
	record(RECORD_TARGET, id, sizeof id, path, strlen(path));
	if (fd < 0)
		error_record(open_errno, "open");
	else if (enter(fd) < 0)
		error_record(errno, "setns");
	else if (tables_only) {
		nft_generation();
		nft_tables(b);
		proc_file("/proc/self/net/ip_tables_names", RECORD_LEGACY, "legacy", 1);
		proc_file("/proc/self/net/ip6_tables_names", RECORD_LEGACY6, "legacy6", 1);
	} else {
		route_dumps(b);
		proc_file("/proc/sys/net/ipv4/ip_forward", RECORD_FORWARD, "forward", 0);
		sysctls();
		nft_tables(b);
		proc_file("/proc/self/net/ip_tables_names", RECORD_LEGACY, "legacy", 1);
		proc_file("/proc/self/net/ip6_tables_names", RECORD_LEGACY6, "legacy6", 1);
	}
	record(RECORD_END, NULL, 0, NULL, 0);
}

static int is_directory(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void read_directory(const char *dir, struct buf *b)
{
	DIR *d = opendir(dir);
	if (!d)
		return; /* no /run/netns: no named namespaces */
	struct dirent *e;
	char path[4096];
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		read_namespace(path, fd, errno, b);
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--monitor") == 0)
		return monitor();
	if (argc > 1 && strcmp(argv[1], "--keep") == 0)
		return keep();
	if (argc == 2 && strcmp(argv[1], "--flock") == 0)
		return lock_handed_fd(1);
	if (argc == 2 && strcmp(argv[1], "--flock-nb") == 0)
		return lock_handed_fd(0);
	if (argc == 2 && strcmp(argv[1], "--peercred") == 0)
		return print_peer_cred();
	if (argc > 1 && strcmp(argv[1], "--cookie") == 0)
		return print_cookies(argc - 2, argv + 2);
	if (argc > 1 && strcmp(argv[1], "--tables") == 0) {
		tables_only = 1;
		argv++;
		argc--;
	}
	static char out[1 << 20];
	setvbuf(stdout, out, _IOFBF, sizeof out);
	if (stat("/proc/self/ns/net", &home_st) < 0)
		current_is_home = 0;
	/* Namespace files first, before any setns: /proc/self/ns/net must mean the caller's. */
	int *fds = calloc((size_t)argc, sizeof *fds);
	int *errs = calloc((size_t)argc, sizeof *errs);
	if (!fds || !errs)
		return 2;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '/') {
			fprintf(stderr, "netloom-nsread: %s: not an absolute path\n", argv[i]);
			return 2;
		}
		fds[i] = is_directory(argv[i]) ? -2 : open(argv[i], O_RDONLY | O_CLOEXEC);
		errs[i] = errno;
	}
	struct buf b = { 0 };
	for (int i = 1; i < argc; i++) {
		if (fds[i] == -2)
			read_directory(argv[i], &b);
		else
			read_namespace(argv[i], fds[i], errs[i], &b);
	}
	if (fflush(stdout) != 0) {
		perror("netloom-nsread: stdout");
		return 1;
	}
	return 0;
}
