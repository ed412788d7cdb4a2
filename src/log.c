/*
 * log.c - diagnostics of linklog itself.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

static const char *prog = "linklog";
static int use_syslog, stderr_is_journal;

void
log_init(const char *progname)
{
	prog = progname;
}

/*
 * Under systemd, standard error is the journal (JOURNAL_STREAM names it):
 * with syslog on as well, every message would be logged twice.
 */
static int
journal_stderr(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) < 0)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_to_syslog(int on)
{
	use_syslog = on;
	stderr_is_journal = on && journal_stderr();
}

void
log_msg(int priority, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	if (!stderr_is_journal) {
		va_start(ap, fmt);
		fprintf(stderr, "%s: ", prog);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		fflush(stderr);
		va_end(ap);
	}
	if (use_syslog) {
		va_start(ap, fmt);
		vsyslog(priority, fmt, ap);
		va_end(ap);
	}
	errno = saved;
}

int
log_ratelimit(time_t *last, time_t interval)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (*last != 0 && ts.tv_sec - *last < interval)
		return 0;
	*last = ts.tv_sec ? ts.tv_sec : 1;
	return 1;
}
