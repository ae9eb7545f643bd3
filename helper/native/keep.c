#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nsread.h"

/*
 * --keep: a thread inside each namespace no process of its own lives in, so that the helper can
 * read that namespace's counters from /proc/TID/net/dev (a thread's /proc entry shows its own
 * network namespace) without spawning anything per sample — and without a process per
 * namespace. For "+ID PATH" a thread enters the namespace (setns is per thread for network
 * namespaces) and "ID TID" is printed; "-ID" ends that thread, letting the namespace go.
 * "!ID errno step" reports one it could not enter. EOF on stdin ends the program.
 */
struct keeper {
	char id[64];
	char path[4096];
	int pipe[2]; /* the thread waits on pipe[0]; closing pipe[1] ends it */
	int used;
};

static struct keeper *keepers;
static size_t nkeepers;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void say(const char *fmt, const char *id, long a, const char *b)
{
	char line[256];
	int n = snprintf(line, sizeof line, fmt, id, a, b);
	if (n <= 0)
		return;
	pthread_mutex_lock(&out_lock);
	if (write(STDOUT_FILENO, line, (size_t)n) < 0) {
		/* the helper is gone; stdin's EOF ends the program */
	}
	pthread_mutex_unlock(&out_lock);
}

static void *keeper_thread(void *arg)
{
	/* A copy: the array may move while this thread waits. */
	struct keeper k = *(struct keeper *)arg;
	free(arg);
	int fd = open(k.path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		say("!%s %ld %s\n", k.id, errno, fd < 0 ? "open" : "setns");
		if (fd >= 0)
			close(fd);
		close(k.pipe[0]);
		return NULL;
	}
	close(fd);
	say("%s %ld%s\n", k.id, (long)syscall(SYS_gettid), "");
	char c;
	while (read(k.pipe[0], &c, 1) > 0 || errno == EINTR)
		;
	close(k.pipe[0]);
	return NULL;
}

static void keep_add(const char *id, const char *path, void *ctx)
{
	(void)ctx;
	size_t slot = 0;
	while (slot < nkeepers && keepers[slot].used)
		slot++;
	if (slot == nkeepers) {
		keepers = realloc(keepers, (nkeepers + 1) * sizeof *keepers);
		if (!keepers)
			exit(2);
		nkeepers++;
	}
	struct keeper *k = &keepers[slot];
	memset(k, 0, sizeof *k);
	snprintf(k->id, sizeof k->id, "%s", id);
	snprintf(k->path, sizeof k->path, "%s", path);
	struct keeper *copy = malloc(sizeof *copy);
	pthread_attr_t attr;
	pthread_t t;
	if (!copy || pipe2(k->pipe, O_CLOEXEC) < 0) {
		say("!%s %ld %s\n", id, errno, "pipe");
		free(copy);
		return;
	}
	*copy = *k;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	int err = pthread_create(&t, &attr, keeper_thread, copy);
	pthread_attr_destroy(&attr);
	if (err) {
		say("!%s %ld %s\n", id, err, "thread");
		close(k->pipe[0]);
		close(k->pipe[1]);
		free(copy);
		return;
	}
	k->used = 1;
}

static void keep_remove(const char *id)
{
	for (size_t i = 0; i < nkeepers; i++) {
		if (keepers[i].used && strcmp(keepers[i].id, id) == 0) {
			close(keepers[i].pipe[1]);
			keepers[i].used = 0;
		}
	}
}

int keep(void)
{
	static struct commands cmds = { .add = keep_add, .remove = keep_remove };
	while (read_commands(&cmds))
		;
	return 0; /* the helper is gone: every thread ends with the process */
}
