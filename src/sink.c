/*
 * sink.c - buffered line output to descriptors.
 *
 * A failed write loses the lines it carried; they are counted, and the
 * failure is reported at most once a minute.  The next flush tries again,
 * so output resumes by itself when the disk or pipe recovers.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "log.h"
#include "privsep.h"
#include "sink.h"
#include "syslogq.h"

#define SINK_BUFFER (64 * 1024)

struct sink {
	char *name, *path;
	int fd, own;
	struct syslogq *syslogq;        /* a syslog sink's queue */
	struct privsep *privsep;        /* a file sink's opener, or NULL */
	int broken_line;                /* the output ends inside a line */
	size_t used, pending_lines;
	time_t last_report;
	struct sink_stats stats;        /* this sink's own */
	uint64_t *lines, *errors;       /* the daemon's too, or NULL */
	char buf[SINK_BUFFER];
};

struct sink *
sink_fd(const char *name, int fd, int own)
{
	struct sink *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->name = strdup(name)) == NULL) {
		free(s);
		return NULL;
	}
	s->fd = fd;
	s->own = own;
	return s;
}

struct sink *
sink_syslog(struct syslogq *q)
{
	struct sink *s = sink_fd("syslog", -1, 0);

	if (s != NULL)
		s->syslogq = q;
	return s;
}

struct sink *
sink_file(struct privsep *ps, const char *path, char *err, size_t errlen)
{
	struct sink *s;
	int fd = privsep_open(ps, path, err, errlen);

	if (fd < 0)
		return NULL;
	if ((s = sink_fd(path, fd, 1)) == NULL ||
	    (s->path = strdup(path)) == NULL) {
		/* sink_close() closes fd when s holds it: only once. */
		if (s != NULL)
			sink_close(s);
		else
			close(fd);
		snprintf(err, errlen, "'%s': out of memory", path);
		return NULL;
	}
	s->privsep = ps;
	return s;
}

static int
sink_reopen_fd(struct sink *s, char *err, size_t errlen)
{
	int fd;

	if ((fd = privsep_open(s->privsep, s->path, err, errlen)) < 0)
		return -1;
	close(s->fd);
	s->fd = fd;
	return 0;
}

static void
report(struct sink *s, int err)
{
	if (log_ratelimit(&s->last_report, 60))
		log_msg(LOG_ERR, "cannot write to %s: %s (%llu lines lost so "
		    "far)", s->name, strerror(err),
		    (unsigned long long)s->stats.errors);
}

static void
cut_partial(struct sink *s, size_t done)
{
	struct stat st;
	off_t end;

	if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (end = lseek(s->fd, 0, SEEK_END)) >= (off_t)done &&
	    ftruncate(s->fd, end - (off_t)done) == 0)
		return;
	s->broken_line = 1;
}

/*
 * Write it all, or fail; returns 0 or an errno.  A write that fails half
 * way must not leave half a line for the next one to be glued to: a file
 * is cut back to where it was, elsewhere a newline ends the broken line
 * before anything else is written.
 */
static int
write_all(struct sink *s, struct iovec *iov, int n)
{
	size_t done = 0;

	if (s->broken_line) {
		if (write(s->fd, "\n", 1) != 1)
			return errno;
		s->broken_line = 0;
	}
	while (n > 0) {
		ssize_t w = writev(s->fd, iov, n);
		if (w < 0) {
			int err = errno;
			if (err == EINTR)
				continue;
			if (done > 0)
				cut_partial(s, done);
			return err;
		}
		done += (size_t)w;
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

static void
account(struct sink *s, size_t lines, int err)
{
	if (err == 0) {
		s->stats.lines += lines;
		if (s->lines != NULL)
			*s->lines += lines;
		return;
	}
	s->stats.errors += lines;
	if (s->errors != NULL)
		*s->errors += lines;
	report(s, err);
}

/*
 * A log file removed by hand (not rotated: rotation is SIGHUP's) would
 * swallow every line: before each write, notice it and create it again,
 * so that no line is counted as written into a file nobody can read.
 * Returns 0, or ENOENT when it is removed and cannot be created again:
 * then the lines are lost (counted as errors), not written.
 */
static int
check_removed(struct sink *s)
{
	char err[PATH_MAX + 256];
	struct stat st;

	if (s->path == NULL || fstat(s->fd, &st) < 0 || st.st_nlink > 0)
		return 0;
	if (sink_reopen_fd(s, err, sizeof(err)) == 0) {
		log_msg(LOG_WARNING, "log file %s was removed: created it "
		    "again", s->path);
		return 0;
	}
	if (log_ratelimit(&s->last_report, 60))
		log_msg(LOG_ERR, "log file %s was removed and cannot be "
		    "created again: %s", s->path, err);
	return ENOENT;
}

void
sink_flush(struct sink *s)
{
	struct iovec iov = { s->buf, s->used };
	int err;

	if (s->syslogq != NULL) {
		syslogq_commit(s->syslogq);
		return;
	}
	if (s->used == 0)
		return;
	if ((err = check_removed(s)) == 0)
		err = write_all(s, &iov, 1);
	account(s, s->pending_lines, err);
	s->used = 0;
	s->pending_lines = 0;
}

void
sink_write(struct sink *s, int priority, const char *line, size_t len)
{
	if (s->syslogq != NULL) {
		/* The writer thread calls syslog(3); this never waits. */
		syslogq_push(s->syslogq, priority, line, len);
		return;
	}
	if (len + 1 > sizeof(s->buf) - s->used)
		sink_flush(s);
	if (len + 1 > sizeof(s->buf)) {
		/* Longer than the whole buffer: straight through. */
		struct iovec iov[2] = { { (void *)line, len }, { "\n", 1 } };
		int err = check_removed(s);
		account(s, 1, err ? err : write_all(s, iov, 2));
		return;
	}
	memcpy(s->buf + s->used, line, len);
	s->buf[s->used + len] = '\n';
	s->used += len + 1;
	s->pending_lines++;
}

void
sink_close(struct sink *s)
{
	if (s == NULL)
		return;
	sink_flush(s);
	if (s->own)
		close(s->fd);
	free(s->name);
	free(s->path);
	free(s);
}

const char *
sink_path(const struct sink *s)
{
	return s->path;
}

const char *
sink_name(const struct sink *s)
{
	if (s->syslogq != NULL)
		return "syslog";
	return s->path != NULL ? s->path : s->name;
}

const struct sink_stats *
sink_stats(const struct sink *s)
{
	return &s->stats;
}

void
sink_count_into(struct sink *s, uint64_t *lines, uint64_t *errors)
{
	s->lines = lines;
	s->errors = errors;
}
