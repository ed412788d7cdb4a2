/*
 * process.c - inherited descriptors and the pid file: written at start,
 * removed at the exit (by the privileged helper when linklog dropped
 * root, privsep.c, else by linklog itself).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "process.h"
#include "safeopen.h"

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

char *
process_write_pid_file(const char *path, char *err, size_t errlen)
{
	char *abs = safeopen_absolute_copy(path), *tmp = NULL;
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

int
process_remove_pid_file(const char *path, pid_t pid, char *err,
    size_t errlen)
{
	char buf[32], *end;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) < 0)
		goto failed;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* Another linklog's (or anything else): not ours to remove. */
	if (strtol(buf, &end, 10) != (long)pid || *end != '\n')
		return 0;
	if (unlink(path) == 0)
		return 0;
failed:
	if (errno == ENOENT)
		return 0;
	snprintf(err, errlen, "cannot remove the pid file '%s': %s", path,
	    strerror(errno));
	return -1;
}

void
process_notify(const char *state)
{
#ifdef HAVE_SYSTEMD
	sd_notify(0, state);
#else
	(void)state;
#endif
}
