/*
 * signals.h - the signals linklog acts on, read from a signalfd in the
 * event loop: SIGINT and SIGTERM (stop), SIGHUP (reload), SIGUSR1
 * (statistics), SIGCHLD (the privileged file opener).  Owns the signal
 * mask and the descriptor; SIGPIPE and SIGXFSZ are ignored (a write
 * error, like a full disk, is counted where it happens).
 */
#ifndef LINKLOG_SIGNALS_H
#define LINKLOG_SIGNALS_H

#include <stddef.h>

struct loop;
struct signals;

/* Called from the loop for each signal taken, with its number. */
typedef void signals_fn(void *arg, int signo);

/* Block the signals it takes, so that none is lost before the
 * descriptor exists (a child's death before the loop runs). */
void signals_block(void);

/* Block the signals and open the descriptor; NULL with err on failure. */
struct signals *signals_new(signals_fn *fn, void *arg, char *err,
    size_t errlen);
int signals_attach(struct signals *s, struct loop *l);
void signals_free(struct signals *s);

#endif
