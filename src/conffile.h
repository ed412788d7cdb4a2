/*
 * conffile.h - the configuration file (libconfig syntax), read into the
 * same struct options as the command line.  Every key is checked: an
 * unknown key, a wrong type or a bad value is an error naming the file,
 * the line and the key.  The schema is documented in linklog.conf(5) and
 * in the sample conf/linklog.conf.
 */
#ifndef LINKLOG_CONFFILE_H
#define LINKLOG_CONFFILE_H

#include <stddef.h>

#include "options.h"

/*
 * Load path into o (on top of what o holds).  Returns 0, or -1 with the
 * errors, one per line, in err.  The strings of o then point into the
 * loaded file: keep it until conffile_free(o).
 */
int conffile_load(const char *path, struct options *o, char *err,
    size_t errlen);

void conffile_free(struct options *o);

/* Whether a file read may be trusted: 0, or -1 with why in err. */
typedef int conffile_trust_fn(const char *path, char *err, size_t errlen);

/*
 * The narrow reading, for the privileged file opener (root): only the
 * values of the rows marked SETTING_OPENS (log files), at the top level
 * and in each rule, and only once every file path was read from (itself
 * and each @include, made absolute) passed trusted() (NULL: no check).
 * No other key is
 * set or checked, nothing is compiled or looked up.  Fills paths (up to
 * max, malloc'ed copies, each once); returns how many, or -1 (err).
 */
int conffile_paths(const char *path, conffile_trust_fn *trusted, char **paths,
    size_t max, char *err, size_t errlen);

/*
 * The files o's configuration was read from: the file itself and every
 * file it took in with libconfig's @include; NULL after the last.
 */
const char *conffile_source(const struct options *o, unsigned i);

#endif
