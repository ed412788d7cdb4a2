/*
 * signals.c - a signalfd, registered with the loop.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "loop.h"
#include "signals.h"

struct signals {
	int fd;
	struct loop *loop;
	signals_fn *fn;
	void *arg;
};

static void
taken(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGCHLD);
}

void
signals_block(void)
{
	sigset_t set;

	taken(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

struct signals *
signals_new(signals_fn *fn, void *arg, char *err, size_t errlen)
{
	struct signals *s = calloc(1, sizeof(*s));
	sigset_t set;

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit is a write error (EFBIG), like a full disk. */
	signal(SIGXFSZ, SIG_IGN);
	signals_block();
	taken(&set);
	s->fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->fd < 0) {
		snprintf(err, errlen, "signalfd: %s", strerror(errno));
		free(s);
		return NULL;
	}
	s->fn = fn;
	s->arg = arg;
	return s;
}

static void
on_readable(void *arg, int fd, short revents)
{
	struct signals *s = arg;
	struct signalfd_siginfo si;

	(void)revents;
	while (read(fd, &si, sizeof(si)) == sizeof(si))
		s->fn(s->arg, (int)si.ssi_signo);
}

int
signals_attach(struct signals *s, struct loop *l)
{
	s->loop = l;
	return loop_fd_add(l, s->fd, POLLIN, on_readable, s);
}

void
signals_free(struct signals *s)
{
	if (s == NULL)
		return;
	if (s->loop != NULL)
		loop_fd_del(s->loop, s->fd);
	close(s->fd);
	free(s);
}
