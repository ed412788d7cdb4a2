/*
 * process.h - what linklog does to its own process at start: descriptors
 * it inherited are closed, and the pid file is written without ever
 * writing into a file someone else made.
 */
#ifndef LINKLOG_PROCESS_H
#define LINKLOG_PROCESS_H

#include <stddef.h>

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

#endif
