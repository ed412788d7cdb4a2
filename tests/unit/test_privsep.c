/* Unit tests for src/safeopen.c and src/privsep.c: the safe open, what
 * the privileged file opener refuses to an unprivileged side that asks
 * for more than the configuration names (that part needs root: skipped
 * else), and the narrow reading of the configuration's file paths
 * (conffile_paths) it learns them from. */
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

#include "conffile.h"
#include "privsep.h"
#include "safeopen.h"

static char dir[PATH_MAX], allowed[PATH_MAX + 16];

static struct privsep *ps;

static void
refused(const char *path, const char *why)
{
	char err[PATH_MAX + 256];
	struct stat st;
	int existed = lstat(path, &st) == 0;

	assert_int_equal(privsep_open(ps, path, err, sizeof(err)), -1);
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
	{
		/* The "configuration": one log file, on the command line. */
		char *fixed[] = { allowed };
		struct privsep_files f = { NULL, fixed, 1, NULL };
		assert_int_equal(privsep_start(ps, &f, err, sizeof(err)), 0);
	}
	assert_true(privsep_pid(ps) > 0);
	fd = privsep_open(ps, allowed, err, sizeof(err));
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
	fd = safeopen_log(NULL, p, 0, err, sizeof(err));
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
	assert_true((fd = safeopen_log(NULL, p, 0, err, sizeof(err))) >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 2);
	close(fd);
	unlink(p);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	assert_int_equal(safeopen_log(NULL, p, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is a symbolic link"));
	unlink(p);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(safeopen_log(NULL, p, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is not a regular file"));
	unlink(p);
	assert_int_equal(safeopen_log(NULL, "/dev/null", 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is not a regular file"));
}

static int
trust_all(const char *path, char *err, size_t errlen)
{
	(void)path;
	(void)err;
	(void)errlen;
	return 0;
}

static int
trust_none(const char *path, char *err, size_t errlen)
{
	snprintf(err, errlen, "'%s': not trusted", path);
	return -1;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int
has(char **paths, int n, const char *p)
{
	for (int i = 0; i < n; i++)
		if (strcmp(paths[i], p) == 0)
			return 1;
	return 0;
}

/*
 * The narrow reading: the log files of the top level, of each rule and of
 * an @include, each once; every other key is ignored (an unknown one, a
 * template that would not compile, a user that does not exist), since
 * the full loader refuses those; a file not trusted gives no path.
 */
static void
test_narrow_paths(void **state)
{
	char conf[PATH_MAX + 16], inc[PATH_MAX + 16], text[3 * PATH_MAX];
	char err[PATH_MAX + 256], *paths[8];
	int n;

	(void)state;
	snprintf(conf, sizeof(conf), "%s/linklog.conf", dir);
	snprintf(inc, sizeof(inc), "%s/more.conf", dir);
	write_file(inc, "rules = ( { log_file = \"/var/log/c.log\"; },\n"
	    "  { log_file = \"a.log\"; template = \"%q\"; } );\n");
	snprintf(text, sizeof(text), "log_file = \"a.log\";\n"
	    "run_as = \"no-such-user-here\";\nbogus = 1;\n"
	    "template = \"%%{\";\n@include \"%s\"\n", inc);
	write_file(conf, text);
	n = conffile_paths(conf, trust_all, paths, 8, err, sizeof(err));
	assert_int_equal(n, 2);
	assert_true(has(paths, n, "a.log"));
	assert_true(has(paths, n, "/var/log/c.log"));
	while (n > 0)
		free(paths[--n]);
	/* At most max. */
	assert_int_equal(conffile_paths(conf, trust_all, paths, 1, err,
	    sizeof(err)), 1);
	free(paths[0]);
	/* The included file is checked too (the first one passes here). */
	assert_int_equal(conffile_paths(conf, trust_none, paths, 8, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "not trusted"));
	/* A file libconfig cannot read: its error. */
	write_file(conf, "log_file = ;\n");
	assert_int_equal(conffile_paths(conf, trust_all, paths, 8, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, conf));
	unlink(conf);
	unlink(inc);
}

/* A file another user could write is not a configuration root trusts. */
static void
test_root_only(void **state)
{
	char p[PATH_MAX + 16], err[PATH_MAX + 256];

	(void)state;
	if (geteuid() != 0)
		skip();         /* only root's files pass */
	snprintf(p, sizeof(p), "%s/root.conf", dir);
	write_file(p, "");
	assert_int_equal(chmod(p, 0644), 0);
	assert_int_equal(safeopen_root_only(p, err, sizeof(err)), 0);
	assert_int_equal(chmod(p, 0666), 0);
	assert_int_equal(safeopen_root_only(p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "can be written by a user other than root"));
	unlink(p);
	assert_int_equal(safeopen_root_only("relative.conf", err,
	    sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct_open),
		cmocka_unit_test(test_narrow_paths),
		cmocka_unit_test(test_root_only),
		cmocka_unit_test(test_helper_opens_only_the_configured_files),
	};
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/linklog-privsep.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(allowed, sizeof(allowed), "%s/a.log", dir);
	if ((ps = privsep_new()) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	privsep_free(ps);
	rmdir(dir);
	return rc;
}
