/*
 * log.h - linklog's own diagnostics (not the traffic lines): to standard
 * error, and to syslog(3) as well once log_to_syslog() is called (then
 * not to standard error if that is systemd's journal, which would log
 * them twice).
 */
#ifndef LINKLOG_LOG_H
#define LINKLOG_LOG_H

#include <syslog.h>
#include <time.h>

void log_init(const char *progname);
void log_to_syslog(int on);
void log_msg(int priority, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* True at most once per interval seconds for the given stamp. */
int log_ratelimit(time_t *last, time_t interval);

#endif
