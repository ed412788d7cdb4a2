/*
 * privsep.h - the privileged file opener: when linklog was started as
 * root, a helper process that keeps root and does one thing only: open
 * the log files the configuration names (safeopen.h), and pass their
 * descriptors back over a socketpair (SCM_RIGHTS).  The process that
 * receives traps then gives up every privilege, yet can reopen the log
 * files after logrotate moved them.  The helper refuses any path that the
 * configuration does not name, and removes the pid file at the exit.
 *
 * struct privsep is linklog's side (the client): the helper's socket and
 * process id, and the directory relative log file paths are taken from.
 * Without a helper (not root, or nothing to open) it opens directly.
 */
#ifndef LINKLOG_PRIVSEP_H
#define LINKLOG_PRIVSEP_H

#include <stddef.h>

struct privsep;

/*
 * What the helper may open, fixed at its start: the log files of the
 * command line (it does not change), and the configuration file, read
 * again (narrowly: conffile_paths()) at each reload.
 */
struct privsep_files {
	const char *config;             /* absolute, or NULL */
	char *const *fixed;             /* the command line's log files */
	size_t nfixed;
	const char *pid_file;           /* as given, or NULL */
};

/*
 * Remember the current directory: relative log file paths are taken from
 * it even after linklog changed to "/".  NULL when out of memory.
 */
struct privsep *privsep_new(void);

/* Stop the helper (it exits when its socket closes) and free p. */
void privsep_free(struct privsep *p);

/*
 * As root only, and only when f names a log file or a pid file: fork the
 * helper (before any socket or file is open).  0 (also when no helper is
 * needed), or -1 with a message in err: the configuration is unreadable,
 * or not root's only (safeopen_root_only()), or the fork failed.
 */
int privsep_start(struct privsep *p, const struct privsep_files *f,
    char *err, size_t errlen);

/*
 * Open path for appending as a log file (safeopen_log()), through the
 * helper when one runs.  p may be NULL: from the current directory.
 * Returns the descriptor, or -1 with a message (starting with the path).
 */
int privsep_open(struct privsep *p, const char *path, char *err,
    size_t errlen);

/*
 * Reload: the helper reads the configuration again.  0 or -1 (err).
 * Until privsep_commit() says the reload was applied, the helper opens
 * the files of the running configuration and of the new one alike: a
 * refused reload leaves the running configuration's files to reopen.
 */
int privsep_reload(struct privsep *p, char *err, size_t errlen);
void privsep_commit(struct privsep *p);

/*
 * The helper's process id, for waitpid() on SIGCHLD (-1: none runs);
 * after it exited, privsep_exited() records it (and says so once): log
 * files are then opened directly again, with linklog's own privileges.
 */
int privsep_pid(const struct privsep *p);
void privsep_exited(struct privsep *p, int wstatus);
/* At SIGCHLD: collect the children that ended (privsep_exited()). */
void privsep_reap(struct privsep *p);

/*
 * At linklog's exit: the helper removes the pid file (process.h's
 * process_remove_pid_file()), as linklog cannot once it dropped root.
 * 0, or -1 (no helper, or not removed).
 */
int privsep_remove_pid_file(struct privsep *p);

/*
 * The narrow list of the files the helper may open: f's fixed ones and
 * those the configuration file names (up to max, each a malloc'ed copy).
 * Returns how many, or -1 with why in err.
 */
int privsep_paths(const struct privsep_files *f, char **paths, size_t max,
    char *err, size_t errlen);

#endif
