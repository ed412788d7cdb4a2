/*
 * safeopen.c - the safe open of a log file, and the check that a file
 * can be changed by root only (for the privileged helper's trust in its
 * configuration).  Owns nothing: every function works on its arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safeopen.h"

const char *
safeopen_absolute(const char *base, const char *path, char *buf, size_t size)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return path;
	if (base == NULL && (base = getcwd(cwd, sizeof(cwd))) == NULL)
		return NULL;
	if ((size_t)snprintf(buf, size, "%s/%s", base, path) >= size)
		return NULL;
	return buf;
}

char *
safeopen_absolute_copy(const char *path)
{
	char buf[PATH_MAX];
	const char *p = safeopen_absolute(NULL, path, buf, sizeof(buf));

	return p ? strdup(p) : NULL;
}

/* Why path could not be opened, in words. */
static void
explain(const char *path, const char *p, int err_no, char *err,
    size_t errlen)
{
	struct stat st;

	if ((err_no == ELOOP || err_no == ENXIO || err_no == 0) &&
	    lstat(p, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s': %s", path, S_ISLNK(st.st_mode) ?
		    "is a symbolic link (log files are opened without "
		    "following links)" : "is not a regular file");
		return;
	}
	snprintf(err, errlen, "'%s': %s", path,
	    strerror(err_no ? err_no : EINVAL));
}

/*
 * A directory only root can change: root's, and writable by nobody else
 * (a sticky one, as /tmp, lets nobody else rename or replace what is in
 * it).  Anyone else who can write a directory on the way to a file can
 * replace what follows with a symbolic link of their choice.
 */
static int
root_only_dir(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) &&
	    st.st_uid == 0 &&
	    ((st.st_mode & (S_IWGRP | S_IWOTH)) == 0 ||
	    (st.st_mode & S_ISVTX) != 0);
}

/*
 * For root: the directory that holds the absolute path p, reached one
 * component at a time from "/", each one a root_only_dir() (symbolic
 * links met on the way were put there by root, then).  Returns its
 * descriptor and sets *name to the last component, or -1 with a message
 * naming the directory that another user can write (err, for what).
 */
static int
root_only_parent(const char *what, const char *p, const char **name,
    char *err, size_t errlen)
{
	const char *c = p, *last = strrchr(p, '/');
	char comp[NAME_MAX + 1];
	int dirfd, fd;

	if (p[0] != '/' || last == NULL || last[1] == '\0') {
		snprintf(err, errlen, "'%s': not an absolute path to a file",
		    what);
		return -1;
	}
	*name = last + 1;
	if ((dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto failed;
	for (;;) {
		size_t n;
		if (!root_only_dir(dirfd)) {
			snprintf(err, errlen, "'%s': the directory '%.*s' can "
			    "be changed by a user other than root (the "
			    "privileged file opener requires every directory "
			    "on the way to be root's and writable by root "
			    "only, or sticky)", what,
			    c == p ? 1 : (int)(c - p), p);
			close(dirfd);
			return -1;
		}
		while (*c == '/')
			c++;
		if (c >= last + 1)
			return dirfd;
		n = strcspn(c, "/");
		if (n >= sizeof(comp)) {
			close(dirfd);
			errno = ENAMETOOLONG;
			goto failed;
		}
		memcpy(comp, c, n);
		comp[n] = '\0';
		c += n;
		fd = openat(dirfd, comp, O_PATH | O_DIRECTORY | O_CLOEXEC);
		close(dirfd);
		if ((dirfd = fd) < 0)
			goto failed;
	}
failed:
	snprintf(err, errlen, "'%s': %s", what, strerror(errno));
	return -1;
}

int
safeopen_root_only(const char *path, char *err, size_t errlen)
{
	const char *name;
	struct stat st;
	int dirfd = root_only_parent(path, path, &name, err, errlen);

	if (dirfd < 0)
		return -1;
	if (fstatat(dirfd, name, &st, 0) < 0) {
		snprintf(err, errlen, "'%s': %s", path, strerror(errno));
		close(dirfd);
		return -1;
	}
	close(dirfd);
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		snprintf(err, errlen, "'%s': can be written by a user other "
		    "than root: the privileged file opener does not take the "
		    "log files it may open from it", path);
		return -1;
	}
	return 0;
}

/*
 * The safe open.  strict (the helper, as root): a hard link planted at
 * the path would otherwise hand out an append descriptor to the file it
 * names, and a directory another user can change could be swapped for a
 * link (root_only_parent).
 */
int
safeopen_log(const char *base, const char *path, int strict, char *err,
    size_t errlen)
{
	const int flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC | O_NOCTTY;
	char buf[PATH_MAX];
	const char *p = safeopen_absolute(base, path, buf, sizeof(buf)),
	    *name;
	struct stat st;
	int fd, dirfd = AT_FDCWD, created = 1;

	if ((name = p) == NULL)
		name = p = path;
	if (strict &&
	    (dirfd = root_only_parent(path, p, &name, err, errlen)) < 0)
		return -1;
	fd = openat(dirfd, name, flags | O_CREAT | O_EXCL, 0640);
	if (fd < 0 && errno == EEXIST) {
		created = 0;
		fd = openat(dirfd, name, flags);
	}
	if (dirfd >= 0) {
		int saved = errno;
		close(dirfd);
		errno = saved;
	}
	if (fd < 0) {
		explain(path, p, errno, err, errlen);
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		explain(path, p, 0, err, errlen);
		return -1;
	}
	if (strict && st.st_nlink > 1) {
		close(fd);
		snprintf(err, errlen, "'%s': has other names (hard links); "
		    "refused by the privileged file opener", path);
		return -1;
	}
	/* Created by us: 0640 whatever the umask said. */
	if (created)
		(void)fchmod(fd, 0640);
	(void)fcntl(fd, F_SETFL, O_APPEND);
	return fd;
}
