/* What the parts of netloom-nsread share (see nsread.c for what the program is). */
#ifndef NETLOOM_NSREAD_H
#define NETLOOM_NSREAD_H

#include <stddef.h>
#include <sys/stat.h>

/* The namespace the program started in. */
extern struct stat home_st;

int same_namespace(const struct stat *a, const struct stat *b);

/*
 * The command stream of --monitor and --keep: "+ID PATH" adds, "-ID" removes, one per line.
 * read_commands reads what is available on stdin and acts on every whole line; it returns 0 at
 * EOF (the helper is gone), else 1.
 */
struct commands {
	char buf[1 << 16];
	size_t len;
	void (*add)(const char *id, const char *path, void *ctx);
	void (*remove)(const char *id);
	void *ctx;
};

int read_commands(struct commands *c);

int monitor(void);
int keep(void);

/* fdops.c: flock and SO_PEERCRED on the descriptor handed over as fd 3. */
int lock_handed_fd(int wait);
int print_peer_cred(void);
int print_cookies(int argc, char **argv);

#endif
