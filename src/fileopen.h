/*
 * fileopen.h - opening the log files: safely, and, when linklog was
 * started as root, through a privileged helper process.
 *
 * Every log file is opened the same way: no symbolic link is followed,
 * a FIFO cannot block the open, and what was opened must be a regular
 * file.  Started as root, linklog forks a helper that keeps root and does
 * one thing only: open the log files the configuration names, and pass
 * their descriptors back over a socketpair (SCM_RIGHTS).  The process that
 * receives traps then gives up every privilege, yet can reopen the log
 * files after logrotate moved them.  The helper refuses any path that the
 * configuration does not name: it reads the configuration itself, at
 * start and whenever it is asked to at a reload.
 */
#ifndef LINKLOG_FILEOPEN_H
#define LINKLOG_FILEOPEN_H

#include <stddef.h>

/*
 * The log files the configuration names, read again by the helper (which
 * runs as root) at each reload: fills paths (up to max, each a malloc'ed
 * copy) and returns how many, or -1 (why in err) if the configuration
 * cannot be read, or is not root's only (fileopen_root_only()).
 */
typedef int fileopen_paths_fn(void *arg, char **paths, size_t max,
    char *err, size_t errlen);

/*
 * Remember the current directory: relative log file paths are taken from
 * it even after linklog changed to "/".  Call once at start.
 */
void fileopen_init(void);

/*
 * Open path for appending as a log file (created 0640).  Returns the
 * descriptor, or -1 with a message (starting with the path) in err.
 * Goes through the helper when one runs.
 */
int fileopen_log(const char *path, char *err, size_t errlen);

/*
 * Fork the helper (as root only).  paths_of is called in the helper, now
 * and at each fileopen_reload().  Returns 0, or -1 with a message in err.
 */
int fileopen_start_helper(fileopen_paths_fn *paths_of, void *arg, char *err,
    size_t errlen);

/* Whether a helper was started (even if it has exited since). */
int fileopen_helper_started(void);

/*
 * Reload: the helper reads the configuration again.  0 or -1 (err).
 * Until fileopen_commit() says the reload was applied, the helper opens
 * the files of the running configuration and of the new one alike: a
 * refused reload leaves the running configuration's files to reopen.
 */
int fileopen_reload(char *err, size_t errlen);
void fileopen_commit(void);

/*
 * The helper's process id, for waitpid() on SIGCHLD; after it exited,
 * fileopen_helper_exited() records it (and says so once): log files are
 * then opened directly again, with linklog's own privileges.
 */
int fileopen_helper_pid(void);
void fileopen_helper_exited(int wstatus);

/*
 * Whether path is a file only root can change: root's, not writable by
 * group or others, in directories that are root's and writable by root
 * only (or sticky).  The helper takes the log files it may open only from
 * such a configuration: else the unprivileged side could name any file.
 * 0, or -1 with a message in err.
 */
int fileopen_root_only(const char *path, char *err, size_t errlen);

/*
 * The pid file linklog writes (before fileopen_start_helper()): at exit,
 * fileopen_unlink_pid_file() has the helper remove it, as linklog cannot
 * once it dropped root.  The helper removes that path only, and only if
 * it holds linklog's process id.  0, or -1 (no helper, or not removed).
 */
void fileopen_set_pid_file(const char *path);
int fileopen_unlink_pid_file(void);

/* Safe open itself, without the helper (exposed for the helper). */
int fileopen_direct(const char *path, char *err, size_t errlen);

#endif
