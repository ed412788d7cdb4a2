/*
 * fileopen.c - safe opening of log files, and the privileged helper that
 * opens them for an unprivileged linklog (as OpenBSD's syslogd does).
 *
 * The helper is a child forked before the privilege drop.  It keeps root,
 * holds no socket but its end of a socketpair, and answers two requests:
 * "reload" (read the configuration again: which log files it names) and
 * "open PATH" (only a path the configuration names, opened with the same
 * safe open as without the helper; the descriptor goes back with
 * SCM_RIGHTS).  Whatever the unprivileged side asks, it can get no more
 * than append descriptors to regular files the configuration names.
 * The helper exits when linklog closes its end.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileopen.h"
#include "log.h"

#define MAX_PATHS 64
#define MSG_MAX (PATH_MAX + 8)

enum { REQ_OPEN = 'O', REQ_RELOAD = 'R', REQ_COMMIT = 'C',
    REQ_UNLINK_PID = 'U' };

struct reply {
	int status;                     /* 0 or -1 */
	char msg[PATH_MAX + 256];
};

static int helper_sock = -1;            /* linklog's end */
static pid_t helper_pid = -1;
static int helper_started;
static char base[PATH_MAX];             /* where relative paths start */
static char pid_path[PATH_MAX];         /* the pid file, absolute */
static pid_t parent_pid;                /* linklog, for the helper */

/* Relative paths are taken from the directory linklog started in. */
static const char *
absolute(const char *path, char *buf, size_t size)
{
	if (path[0] == '/' || base[0] == '\0')
		return path;
	if ((size_t)snprintf(buf, size, "%s/%s", base, path) >= size)
		return path;
	return buf;
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
fileopen_root_only(const char *path, char *err, size_t errlen)
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
 * The safe open.  With one_name set (the helper, as root), a file with
 * other names is refused too: a hard link planted at the path would
 * otherwise hand out an append descriptor to the file it names; and so
 * is a file in a directory another user can change (root_only_parent).
 */
static int
open_log(const char *path, int one_name, char *err, size_t errlen)
{
	const int flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC | O_NOCTTY;
	char buf[PATH_MAX];
	const char *p = absolute(path, buf, sizeof(buf)), *name = p;
	struct stat st;
	int fd, dirfd = AT_FDCWD, created = 1;

	if (one_name &&
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
	if (one_name && st.st_nlink > 1) {
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

int
fileopen_direct(const char *path, char *err, size_t errlen)
{
	return open_log(path, 0, err, errlen);
}

/* --- the helper side ------------------------------------------------- */

/*
 * Two lists: the files of the running configuration, and those of the
 * one a reload is building (which may be refused: then the running
 * configuration's files must still open, after a removal for one).
 */
struct paths {
	char *v[MAX_PATHS];
	int n;
};

struct helper {
	int sock;
	fileopen_paths_fn *paths_of;
	void *arg;
	struct paths running, loaded;
};

static void
paths_clear(struct paths *p)
{
	for (int i = 0; i < p->n; i++)
		free(p->v[i]);
	p->n = 0;
}

static void
helper_load(struct helper *h, struct reply *r)
{
	char *paths[MAX_PATHS];
	char why[sizeof(r->msg) - 96];
	int n;

	why[0] = '\0';
	n = h->paths_of(h->arg, paths, MAX_PATHS, why, sizeof(why));
	if (n < 0) {
		r->status = -1;
		snprintf(r->msg, sizeof(r->msg), "the privileged file opener "
		    "cannot read the configuration (%s); it keeps the files "
		    "it had", why[0] ? why : "unreadable");
		return;
	}
	paths_clear(&h->loaded);
	memcpy(h->loaded.v, paths, sizeof(paths[0]) * (size_t)n);
	h->loaded.n = n;
}

/* The reload was applied: its files are now the running ones. */
static void
helper_commit(struct helper *h)
{
	paths_clear(&h->running);
	h->running = h->loaded;
	h->loaded.n = 0;
}

static int
paths_has(const struct paths *p, const char *path)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->v[i], path) == 0)
			return 1;
	return 0;
}

static int
helper_allowed(const struct helper *h, const char *path)
{
	return paths_has(&h->running, path) || paths_has(&h->loaded, path);
}

/*
 * At linklog's exit, its pid file, which linklog can no longer remove
 * from a directory only root can write: only the path it was started
 * with, and only while it still holds linklog's process id.
 */
static void
helper_unlink_pid_file(struct reply *r)
{
	char buf[32], *end;
	ssize_t n = -1;
	long pid;
	int fd;

	r->status = -1;
	if (pid_path[0] == '\0' ||
	    (fd = open(pid_path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	pid = strtol(buf, &end, 10);
	if (pid == (long)parent_pid && *end == '\n' && unlink(pid_path) == 0)
		r->status = 0;
}

static void
helper_send(int sock, const struct reply *r, int fd)
{
	struct iovec iov = { (void *)r, sizeof(*r) };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		u.h.cmsg_level = SOL_SOCKET;
		u.h.cmsg_type = SCM_RIGHTS;
		u.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&u.h), &fd, sizeof(int));
	}
	(void)sendmsg(sock, &mh, MSG_NOSIGNAL);
}

static void
helper_request(struct helper *h, const char *req, size_t len)
{
	struct reply r = { 0, "" };
	int fd = -1;

	if (len >= 1 && req[0] == REQ_RELOAD) {
		helper_load(h, &r);
	} else if (len >= 1 && req[0] == REQ_COMMIT) {
		helper_commit(h);
	} else if (len >= 1 && req[0] == REQ_UNLINK_PID) {
		helper_unlink_pid_file(&r);
	} else if (len >= 3 && req[0] == REQ_OPEN &&
	    memchr(req, '\0', len - 1) == NULL) {
		const char *path = req + 1;
		if (!helper_allowed(h, path)) {
			r.status = -1;
			snprintf(r.msg, sizeof(r.msg), "'%s': not a log file of "
			    "the configuration (refused by the privileged file "
			    "opener)", path);
		} else if ((fd = open_log(path, 1, r.msg,
		    sizeof(r.msg))) < 0) {
			r.status = -1;
		}
	} else {
		r.status = -1;
		snprintf(r.msg, sizeof(r.msg), "bad request");
	}
	helper_send(h->sock, &r, fd);
	if (fd >= 0)
		close(fd);
}

/*
 * Root, but only as much of it as opening files needs: every capability
 * but CAP_DAC_OVERRIDE goes (from the bounding set too, while
 * CAP_SETPCAP still allows that), and no_new_privs.  Best effort: where
 * the kernel refuses, the helper still only opens files.
 */
static void
helper_limit(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];

	for (int cap = 0; cap < 64; cap++)
		if (cap != CAP_DAC_OVERRIDE)
			(void)prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	memset(data, 0, sizeof(data));
	data[0].effective = data[0].permitted = 1u << CAP_DAC_OVERRIDE;
	(void)syscall(SYS_capset, &hdr, data);
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static void __attribute__((noreturn))
helper_main(struct helper *h, pid_t parent)
{
	char req[MSG_MAX];
	struct reply r;
	sigset_t none;
	ssize_t n;
	int devnull;

	/* Gone with linklog; untouched by the signals meant for it. */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	(void)prctl(PR_SET_NAME, "linklog-priv");
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Nothing but its socket and standard error (for a crash). */
	if (dup2(h->sock, 3) < 0)
		_exit(1);
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
		(void)dup2(devnull, STDIN_FILENO);
		(void)dup2(devnull, STDOUT_FILENO);
	}
	h->sock = 3;
	(void)close_range(4, ~0U, 0);
	helper_limit();
	/* From the directory linklog started in, as linklog read it. */
	r.status = 0;
	helper_load(h, &r);
	if (r.status != 0)
		log_msg(LOG_ERR, "%s", r.msg);
	helper_commit(h);
	(void)chdir("/");
	for (;;) {
		n = recv(h->sock, req, sizeof(req) - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		req[n] = '\0';
		helper_request(h, req, (size_t)n + 1);
	}
}

/* --- linklog's side -------------------------------------------------- */

void
fileopen_init(void)
{
	if (getcwd(base, sizeof(base)) == NULL)
		base[0] = '\0';
}

int
fileopen_start_helper(fileopen_paths_fn *paths_of, void *arg, char *err,
    size_t errlen)
{
	struct helper h = { .paths_of = paths_of, .arg = arg };
	pid_t parent = getpid();
	int sv[2];

	parent_pid = parent;
	if (geteuid() != 0)
		return 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	switch (helper_pid = fork()) {
	case -1:
		snprintf(err, errlen, "cannot start the privileged file "
		    "opener: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	case 0:
		close(sv[0]);
		h.sock = sv[1];
		helper_main(&h, parent);
	}
	close(sv[1]);
	helper_sock = sv[0];
	helper_started = 1;
	return 0;
}

int
fileopen_helper_started(void)
{
	return helper_started;
}

int
fileopen_helper_pid(void)
{
	return helper_sock >= 0 ? (int)helper_pid : -1;
}

static void
helper_gone(const char *why)
{
	if (helper_sock < 0)
		return;
	close(helper_sock);
	helper_sock = -1;
	log_msg(LOG_ERR, "the privileged file opener %s: the open log files "
	    "are still written, but a reopen (SIGHUP, a removed file) now "
	    "runs with linklog's own rights", why);
}

void
fileopen_helper_exited(int wstatus)
{
	char why[64];

	if (WIFSIGNALED(wstatus))
		snprintf(why, sizeof(why), "was killed by signal %d",
		    WTERMSIG(wstatus));
	else
		snprintf(why, sizeof(why), "exited with status %d",
		    WEXITSTATUS(wstatus));
	helper_gone(why);
}

/* One request, one reply (with a descriptor for an open). */
static int
ask(const char *req, size_t len, struct reply *r, int *fd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct iovec iov = { r, sizeof(*r) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	ssize_t n;

	*fd = -1;
	if (send(helper_sock, req, len, MSG_NOSIGNAL) != (ssize_t)len) {
		helper_gone("does not answer");
		return -1;
	}
	do
		n = recvmsg(helper_sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*r)) {
		helper_gone("does not answer");
		return -1;
	}
	r->msg[sizeof(r->msg) - 1] = '\0';
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	return 0;
}

int
fileopen_log(const char *path, char *err, size_t errlen)
{
	char req[MSG_MAX];
	struct reply r;
	size_t len = strlen(path);
	int fd;

	if (helper_sock < 0 || len + 2 > sizeof(req))
		return fileopen_direct(path, err, errlen);
	/* The path without its NUL: the helper refuses one inside. */
	req[0] = REQ_OPEN;
	memcpy(req + 1, path, len);
	if (ask(req, len + 1, &r, &fd) < 0)
		return fileopen_direct(path, err, errlen);
	if (r.status == 0 && fd >= 0)
		return fd;
	if (fd >= 0)
		close(fd);
	snprintf(err, errlen, "%s", r.status ? r.msg : "no descriptor");
	return -1;
}

int
fileopen_reload(char *err, size_t errlen)
{
	char req = REQ_RELOAD;
	struct reply r;
	int fd;

	if (helper_sock < 0)
		return 0;
	if (ask(&req, 1, &r, &fd) < 0)
		return 0;
	if (fd >= 0)
		close(fd);
	if (r.status != 0) {
		snprintf(err, errlen, "%s", r.msg);
		return -1;
	}
	return 0;
}

void
fileopen_commit(void)
{
	char req = REQ_COMMIT;
	struct reply r;
	int fd;

	if (helper_sock >= 0 && ask(&req, 1, &r, &fd) == 0 && fd >= 0)
		close(fd);
}

void
fileopen_set_pid_file(const char *path)
{
	char buf[PATH_MAX];
	const char *p = absolute(path, buf, sizeof(buf));

	if (p[0] == '/')
		snprintf(pid_path, sizeof(pid_path), "%s", p);
}

int
fileopen_unlink_pid_file(void)
{
	char req = REQ_UNLINK_PID;
	struct reply r;
	int fd;

	if (helper_sock < 0 || pid_path[0] == '\0' ||
	    ask(&req, 1, &r, &fd) < 0)
		return -1;
	if (fd >= 0)
		close(fd);
	return r.status;
}
