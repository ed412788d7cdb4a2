/*
 * process.c - inherited descriptors and the pid file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "process.h"

/* How many sockets systemd passed to this process (sd_listen_fds(3)). */
static unsigned
listen_fds(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	char *end;
	unsigned long n;

	if (pid == NULL || fds == NULL ||
	    strtol(pid, &end, 10) != (long)getpid() || *end != '\0')
		return 0;
	n = strtoul(fds, &end, 10);
	if (*end != '\0' || n > 1024)
		return 0;
	return (unsigned)n;
}

void
process_close_inherited(void)
{
	(void)close_range(3 + listen_fds(), ~0U, 0);
}

static char *
absolute(const char *path)
{
	char cwd[PATH_MAX], *abs;

	if (path[0] == '/')
		return strdup(path);
	if (getcwd(cwd, sizeof(cwd)) == NULL ||
	    asprintf(&abs, "%s/%s", cwd, path) < 0)
		return NULL;
	return abs;
}

char *
process_write_pid_file(const char *path, char *err, size_t errlen)
{
	char *abs = absolute(path), *tmp = NULL;
	int fd, n, saved;

	if (abs == NULL || asprintf(&tmp, "%s.XXXXXX", abs) < 0) {
		snprintf(err, errlen, "cannot write pid file '%s': %s", path,
		    strerror(ENOMEM));
		free(abs);
		return NULL;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		saved = errno;
		goto fail;
	}
	(void)fchmod(fd, 0644);
	n = dprintf(fd, "%ld\n", (long)getpid());
	saved = n <= 0 ? EIO : 0;
	if (close(fd) < 0 && saved == 0)
		saved = errno;
	if (saved == 0 && rename(tmp, abs) < 0)
		saved = errno;
	if (saved == 0) {
		free(tmp);
		return abs;
	}
	unlink(tmp);
fail:
	snprintf(err, errlen, "cannot write pid file '%s': %s", path,
	    strerror(saved));
	free(tmp);
	free(abs);
	return NULL;
}
