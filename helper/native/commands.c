#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "nsread.h"

int read_commands(struct commands *c)
{
	ssize_t got = read(STDIN_FILENO, c->buf + c->len, sizeof c->buf - 1 - c->len);
	if (got < 0 && errno == EINTR)
		return 1;
	if (got <= 0)
		return 0;
	c->len += (size_t)got;
	char *start = c->buf, *nl;
	while ((nl = memchr(start, '\n', c->len - (size_t)(start - c->buf))) != NULL) {
		*nl = '\0';
		char *space = strchr(start + 1, ' ');
		if (start[0] == '+' && space && space != start + 1 && space[1] == '/') {
			*space = '\0';
			c->add(start + 1, space + 1, c->ctx);
		} else if (start[0] == '-' && start[1] != '\0')
			c->remove(start + 1);
		start = nl + 1;
	}
	c->len -= (size_t)(start - c->buf);
	memmove(c->buf, start, c->len);
	if (c->len == sizeof c->buf - 1)
		c->len = 0; /* a line longer than any command: dropped */
	return 1;
}
