/*
 * log.c - diagnostics of linklog itself.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static const char *prog = "linklog";
static int use_syslog;

void
log_init(const char *progname)
{
	prog = progname;
}

void
log_to_syslog(int on)
{
	use_syslog = on;
}

void
log_msg(int priority, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	fflush(stderr);
	va_end(ap);
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
