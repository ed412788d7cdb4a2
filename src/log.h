/*
 * log.h - linklog's own diagnostics (not the traffic lines): always to
 * standard error, never to syslog(3), which carries only traffic.  When
 * standard error is systemd's journal, each message carries its level
 * as a <N> prefix for the journal.
 */
#ifndef LINKLOG_LOG_H
#define LINKLOG_LOG_H

#include <stdarg.h>
#include <syslog.h>
#include <time.h>

/* The name before each message, and whether standard error is the journal. */
void log_init(const char *progname);
void log_msg(int priority, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_vmsg(int priority, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* The message at level err, then exit(status). */
void log_fatal(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/* True at most once per interval seconds for the given stamp. */
int log_ratelimit(time_t *last, time_t interval);

#endif
