/* Unit tests for the syslog writer's queue (src/syslogq.c): lines of many
 * lengths arrive whole and in order through many turns of the ring; a
 * full queue drops exactly what does not fit while no daemon listens, and
 * the queued lines arrive once one does; a new ident applies from the
 * next line pushed; a stop that gives up counts what it did not write.
 *
 * The test process gets a private mount namespace with a tmpfs on /dev,
 * and plays the syslog daemon itself on that /dev/log: the machine's own
 * /dev/log is never touched.  Skipped (77) where that is not allowed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "syslogq.h"

static int daemon_fd = -1;

/* Bind /dev/log, as a syslog daemon does. */
static void
daemon_up(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
	struct timeval tv = { 5, 0 };
	int size = 4 << 20;

	unlink(sun.sun_path);
	daemon_fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(daemon_fd >= 0);
	assert_int_equal(bind(daemon_fd, (struct sockaddr *)&sun,
	    sizeof(sun)), 0);
	setsockopt(daemon_fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(daemon_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static void
daemon_down(void)
{
	close(daemon_fd);
	daemon_fd = -1;
	unlink("/dev/log");
}

/*
 * The next datagram: "<PRI>Mmm dd hh:mm:ss IDENT[PID]: LINE"; returns the
 * priority, with ident and line copied out.
 */
static int
receive(char *ident, size_t identlen, char *line, size_t linelen)
{
	char buf[8192], *p, *colon;
	ssize_t n = recv(daemon_fd, buf, sizeof(buf) - 1, 0);
	int pri;

	assert_true(n > 0);
	buf[n] = '\0';
	assert_int_equal(sscanf(buf, "<%d>", &pri), 1);
	p = strchr(buf, '>') + 1 + 16;  /* the timestamp and its space */
	colon = strstr(p, "]: ");
	assert_non_null(colon);
	snprintf(ident, identlen, "%.*s", (int)(strchr(p, '[') - p), p);
	snprintf(line, linelen, "%s", colon + 3);
	return pri;
}

/* Line number i, "i:abcd...": 12 to 711 bytes long. */
static size_t
make_line(unsigned i, char *buf)
{
	size_t len = 12 + (i * 7919u) % 700;
	size_t k = (size_t)snprintf(buf, 16, "%u:", i);

	for (; k < len; k++)
		buf[k] = (char)('a' + (i + k) % 26);
	buf[len] = '\0';
	return len;
}

static void
wait_for(struct syslogq *q, uint64_t written)
{
	struct syslogq_stats st;

	for (int i = 0; i < 500; i++) {
		syslogq_stats(q, &st);
		if (st.written >= written)
			return;
		usleep(10000);
	}
	fail_msg("the writer wrote %llu lines, not %llu",
	    (unsigned long long)st.written, (unsigned long long)written);
}

static void
order_and_wrap(void **state)
{
	char err[256], line[1024], got[8192], ident[64];
	struct syslogq_stats st;
	struct syslogq *q;

	(void)state;
	daemon_up();
	/* 100 lines, a 64 KiB ring: 6,000 lines of 350 bytes on average
	 * turn it about 30 times, with pad entries at its end. */
	q = syslogq_new(100, "t1", LOG_LOCAL1, err, sizeof(err));
	assert_non_null(q);
	for (unsigned i = 0; i < 6000; i += 40) {
		for (unsigned j = i; j < i + 40; j++) {
			size_t len = make_line(j, line);
			syslogq_push(q, LOG_LOCAL1 | (int)(j % 8), line, len);
		}
		syslogq_commit(q);
		for (unsigned j = i; j < i + 40; j++) {
			int pri = receive(ident, sizeof(ident), got, sizeof(got));
			make_line(j, line);
			assert_int_equal(pri, LOG_LOCAL1 | (int)(j % 8));
			assert_string_equal(ident, "t1");
			assert_string_equal(got, line);
		}
	}
	wait_for(q, 6000);
	syslogq_stats(q, &st);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.queued, 0);
	assert_int_equal(syslogq_stop(q, 1000), 0);
	syslogq_free(q);
	daemon_down();
}

static void
full_while_down(void **state)
{
	char err[256], got[8192], ident[64], line[64];
	struct syslogq_stats st;
	struct syslogq *q;

	(void)state;
	q = syslogq_new(50, "t2", LOG_DAEMON, err, sizeof(err));
	assert_non_null(q);
	for (unsigned i = 0; i < 80; i++) {
		int n = snprintf(line, sizeof(line), "line %u", i);
		syslogq_push(q, LOG_DAEMON | LOG_INFO, line, (size_t)n);
		if (i % 10 == 9)
			syslogq_commit(q);
	}
	syslogq_stats(q, &st);
	assert_int_equal(st.queued, 50);
	assert_int_equal(st.dropped, 30);
	assert_int_equal(st.written, 0);
	/* A new ident for what is pushed from now on. */
	daemon_up();
	assert_int_equal(syslogq_ident(q, "t2new", LOG_LOCAL7), 0);
	for (unsigned i = 0; i < 50; i++) {
		receive(ident, sizeof(ident), got, sizeof(got));
		snprintf(line, sizeof(line), "line %u", i);
		assert_string_equal(got, line);
		assert_string_equal(ident, "t2");
	}
	wait_for(q, 50);
	syslogq_push(q, LOG_LOCAL7 | LOG_ERR, "after", 5);
	syslogq_commit(q);
	assert_int_equal(receive(ident, sizeof(ident), got, sizeof(got)),
	    LOG_LOCAL7 | LOG_ERR);
	assert_string_equal(ident, "t2new");
	assert_string_equal(got, "after");
	assert_int_equal(syslogq_stop(q, 1000), 0);
	syslogq_stats(q, &st);
	assert_int_equal(st.written, 51);
	assert_int_equal(st.dropped, 30);
	syslogq_free(q);
	daemon_down();
}

static void
stop_gives_up(void **state)
{
	char err[256];
	struct syslogq_stats st;
	struct syslogq *q;
	struct timespec t0, t1;

	(void)state;
	q = syslogq_new(1000, "t3", LOG_DAEMON, err, sizeof(err));
	assert_non_null(q);
	for (unsigned i = 0; i < 300; i++)
		syslogq_push(q, LOG_DAEMON | LOG_INFO, "nobody listens", 14);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(syslogq_stop(q, 300), 300);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 3);
	syslogq_stats(q, &st);
	assert_int_equal(st.dropped, 300);
	assert_int_equal(st.written, 0);
	syslogq_free(q);
}

static void
bad_sizes(void **state)
{
	char err[256];

	(void)state;
	assert_null(syslogq_new(0, "x", LOG_DAEMON, err, sizeof(err)));
	assert_non_null(strstr(err, "out of range"));
	assert_null(syslogq_new(SYSLOGQ_MAX_SIZE + 1, "x", LOG_DAEMON, err,
	    sizeof(err)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(order_and_wrap),
		cmocka_unit_test(full_while_down),
		cmocka_unit_test(stop_gives_up),
		cmocka_unit_test(bad_sizes),
	};

	/* A /dev of our own, so /dev/log is ours. */
	if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("linklog-test-dev", "/dev", "tmpfs", 0, "mode=0755") < 0) {
		printf("SKIP: needs root and a private mount namespace\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
