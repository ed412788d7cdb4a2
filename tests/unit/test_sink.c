/* Unit tests for src/sink.c: a failed strdup() in sink_file() closes the
 * log file's descriptor once, not twice (a second close() could close a
 * descriptor another part of linklog opened in between).  strdup() and
 * close() are wrapped (-Wl,--wrap) to fail and to count. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sink.h"

char *__real_strdup(const char *);
int __real_close(int);
char *__wrap_strdup(const char *);
int __wrap_close(int);

static int strdup_calls, strdup_fail_at;        /* 0: never fail */
static int closes[1024];

char *
__wrap_strdup(const char *s)
{
	if (++strdup_calls == strdup_fail_at)
		return NULL;
	return __real_strdup(s);
}

int
__wrap_close(int fd)
{
	if (fd >= 0 && fd < 1024)
		closes[fd]++;
	return __real_close(fd);
}

static char path[PATH_MAX];

static void
test_strdup_failure_closes_once(void **state)
{
	char err[PATH_MAX + 256];
	int fd;

	(void)state;
	/* The descriptor sink_file() will get is the lowest free one. */
	fd = dup(0);
	assert_true(fd >= 0 && fd < 1024);
	__real_close(fd);
	for (int fail_at = 1; fail_at <= 2; fail_at++) {
		memset(closes, 0, sizeof(closes));
		strdup_calls = 0;
		strdup_fail_at = fail_at;
		assert_null(sink_file(NULL, path, err, sizeof(err)));
		assert_non_null(strstr(err, "out of memory"));
		assert_int_equal(closes[fd], 1);
	}
	strdup_fail_at = 0;
}

static void
test_file_sink_writes_lines(void **state)
{
	char err[PATH_MAX + 256], buf[64] = "";
	struct sink *s;
	FILE *f;

	(void)state;
	s = sink_file(NULL, path, err, sizeof(err));
	assert_non_null(s);
	sink_write(s, 0, "one", 3);
	sink_write(s, 0, "two", 3);
	sink_close(s);
	assert_non_null(f = fopen(path, "r"));
	assert_int_equal(fread(buf, 1, sizeof(buf) - 1, f), 8);
	fclose(f);
	assert_string_equal(buf, "one\ntwo\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strdup_failure_closes_once),
		cmocka_unit_test(test_file_sink_writes_lines),
	};
	char dir[] = "/tmp/linklog-sink.XXXXXX";
	int rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/sink.log", dir);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(path);
	rmdir(dir);
	return rc;
}
