/* Unit tests for src/fileopen.c: the safe open, and what the privileged
 * file opener refuses to an unprivileged side that asks for more than
 * the configuration names (that part needs root: skipped else). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileopen.h"

static char dir[PATH_MAX], allowed[PATH_MAX + 16];

/* The "configuration": one log file. */
static int
paths_of(void *arg, char **paths, size_t max, char *err, size_t errlen)
{
	(void)arg;
	(void)err;
	(void)errlen;
	if (max < 1)
		return 0;
	paths[0] = strdup(allowed);
	return paths[0] ? 1 : -1;
}

static void
refused(const char *path, const char *why)
{
	char err[PATH_MAX + 256];
	struct stat st;
	int existed = lstat(path, &st) == 0;

	assert_int_equal(fileopen_log(path, err, sizeof(err)), -1);
	if (strstr(err, why) == NULL)
		fail_msg("'%s': expected '%s' in '%s'", path, why, err);
	if (!existed)
		assert_int_not_equal(lstat(path, &st), 0);
}

static void
test_helper_opens_only_the_configured_files(void **state)
{
	char err[PATH_MAX + 256], other[PATH_MAX + 16], sneaky[3 * PATH_MAX];
	struct stat st;
	int fd;

	(void)state;
	if (geteuid() != 0)
		skip();         /* the privileged file opener needs root */
	assert_int_equal(fileopen_start_helper(paths_of, NULL, err,
	    sizeof(err)), 0);
	fd = fileopen_log(allowed, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	assert_true(fcntl(fd, F_GETFL) & O_APPEND);
	close(fd);

	snprintf(other, sizeof(other), "%s/other.log", dir);
	refused(other, "not a log file of the configuration");
	refused("/etc/passwd", "not a log file of the configuration");
	snprintf(sneaky, sizeof(sneaky), "%s/../%s/a.log", dir,
	    strrchr(dir, '/') + 1);
	refused(sneaky, "not a log file of the configuration");
	refused("a.log", "not a log file of the configuration");

	/* The configured path itself, replaced by a link: not followed. */
	unlink(allowed);
	{
		/* A hard link to a file elsewhere (say, root's). */
		char victim[PATH_MAX + 16];
		int v;
		snprintf(victim, sizeof(victim), "%s/victim", dir);
		assert_true((v = open(victim, O_CREAT | O_WRONLY, 0600)) >= 0);
		close(v);
		assert_int_equal(link(victim, allowed), 0);
		refused(allowed, "has other names (hard links)");
		unlink(allowed);
		unlink(victim);
	}
	assert_int_equal(symlink("/etc/passwd", allowed), 0);
	refused(allowed, "is a symbolic link");
	unlink(allowed);
	assert_int_equal(mkfifo(allowed, 0600), 0);
	refused(allowed, "is not a regular file");
	unlink(allowed);
}

/* Without the helper: the same checks, with the caller's rights. */
static void
test_direct_open(void **state)
{
	char err[PATH_MAX + 256], p[PATH_MAX + 16];
	struct stat st;
	int fd;

	(void)state;
	snprintf(p, sizeof(p), "%s/direct.log", dir);
	fd = fileopen_direct(p, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_true(fcntl(fd, F_GETFL) & O_APPEND);
	assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	/* An existing file is appended to, not truncated. */
	assert_true((fd = open(p, O_WRONLY | O_APPEND)) >= 0);
	assert_int_equal(write(fd, "x\n", 2), 2);
	close(fd);
	assert_true((fd = fileopen_direct(p, err, sizeof(err))) >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 2);
	close(fd);
	unlink(p);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	assert_int_equal(fileopen_direct(p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is a symbolic link"));
	unlink(p);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(fileopen_direct(p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is not a regular file"));
	unlink(p);
	assert_int_equal(fileopen_direct("/dev/null", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is not a regular file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct_open),
		cmocka_unit_test(test_helper_opens_only_the_configured_files),
	};
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/linklog-fileopen.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(allowed, sizeof(allowed), "%s/a.log", dir);
	fileopen_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
