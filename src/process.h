/*
 * process.h - what linklog does to its own process at start: descriptors
 * it inherited are closed, and the pid file is written without ever
 * writing into a file someone else made; and removed at the exit.
 */
#ifndef LINKLOG_PROCESS_H
#define LINKLOG_PROCESS_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Close every descriptor but 0, 1, 2 and the sockets systemd passes
 * (LISTEN_FDS, when LISTEN_PID is this process).
 */
void process_close_inherited(void);

/*
 * Write our pid to path: a new file made next to it (mkstemp) and renamed
 * over it, so that a file or link another user left there is replaced,
 * never truncated and written into.  Returns the path made absolute (for
 * the unlink at exit, from "/"), or NULL with a message in err.
 */
char *process_write_pid_file(const char *path, char *err, size_t errlen);

/*
 * At the exit: remove the pid file at path, but only if it still holds
 * pid (a file another process wrote since is left alone).  0 (also when
 * it is gone already), or -1 with a message in err.
 */
int process_remove_pid_file(const char *path, pid_t pid, char *err,
    size_t errlen);

/* Tell systemd the service's state ("READY=1", "RELOADING=1", ...);
 * nothing without systemd. */
void process_notify(const char *state);

#endif
