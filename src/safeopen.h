/*
 * safeopen.h - opening a log file safely, and telling whether a file is
 * one only root can change.  The primitives the privileged helper
 * (privsep.h) and linklog itself use alike; no process, no state.
 *
 * Every log file is opened the same way: no symbolic link is followed,
 * a FIFO cannot block the open, and what was opened must be a regular
 * file.
 */
#ifndef LINKLOG_SAFEOPEN_H
#define LINKLOG_SAFEOPEN_H

#include <stddef.h>

/*
 * path from base ("/var/tmp"), or from the current directory when base
 * is NULL; path itself if it is absolute already.  Written to buf (size
 * bytes); returns buf or path, or NULL when it does not fit or the
 * current directory is unknown.
 */
const char *safeopen_absolute(const char *base, const char *path, char *buf,
    size_t size);

/* The same as a malloc'ed copy (NULL when out of memory or unknown). */
char *safeopen_absolute_copy(const char *path);

/*
 * Open path (relative: from base, see safeopen_absolute) for appending as
 * a log file (created 0640).  With strict (the helper, as root), a file
 * with other names (hard links) is refused too, and so is a file in a
 * directory a user other than root can change.  Returns the descriptor,
 * or -1 with a message (starting with the path) in err.
 */
int safeopen_log(const char *base, const char *path, int strict, char *err,
    size_t errlen);

/*
 * Whether path is a file only root can change: root's, not writable by
 * group or others, in directories that are root's and writable by root
 * only (or sticky).  The helper takes the log files it may open only from
 * such a configuration: else the unprivileged side could name any file.
 * 0, or -1 with a message in err.
 */
int safeopen_root_only(const char *path, char *err, size_t errlen);

#endif
