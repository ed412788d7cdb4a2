/*
 * privsep.c - the privileged file opener (as OpenBSD's syslogd has one):
 * the helper process, and linklog's side of its socket (struct privsep).
 *
 * The helper is a child forked before the privilege drop.  It keeps root
 * (CAP_DAC_OVERRIDE only), holds no socket but its end of a socketpair,
 * and answers four requests: "reload" (read the configuration's file
 * paths again), "commit" (the reload was applied), "open PATH" (only a
 * path the configuration names, opened with safeopen_log(); the
 * descriptor goes back with SCM_RIGHTS) and "remove the pid file".
 * Whatever the unprivileged side asks, it can get no more than append
 * descriptors to regular files the configuration names.  The helper
 * exits when linklog closes its end.
 *
 * Which files: OpenBSD's syslogd fixes the list after the first parse and
 * re-executes itself when the configuration changed.  linklog cannot: it
 * dropped root and could not bind port 162 again, and a re-execution
 * would lose the events waiting for names and the counters.  So the
 * helper reads the configuration again at each reload, but narrowly
 * (conffile_paths()): libconfig and the log_file keys only, from a file
 * (and @includes) only root can change; no other key, no check, no user
 * or template.  The command line's log files are fixed at the start.
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conffile.h"
#include "log.h"
#include "privsep.h"
#include "process.h"
#include "safeopen.h"

#define MAX_PATHS 64
#define MSG_MAX (PATH_MAX + 8)

enum { REQ_OPEN = 'O', REQ_RELOAD = 'R', REQ_COMMIT = 'C',
    REQ_UNLINK_PID = 'U' };

struct reply {
	int status;                     /* 0 or -1 */
	char msg[PATH_MAX + 256];
};

struct privsep {
	int sock;                       /* linklog's end, or -1 */
	pid_t pid;                      /* the helper's */
	pid_t parent;                   /* linklog, for the helper */
	char base[PATH_MAX];            /* where relative paths start */
	int have_base;
	char pid_file[PATH_MAX];        /* absolute, or "" */
	int root_without;               /* started as root, no helper needed */
};

/* The files of the running configuration, or of one a reload builds. */
struct paths {
	char *v[MAX_PATHS];
	int n;
};

struct helper {
	int sock;
	const struct privsep *p;
	const struct privsep_files *f;
	struct paths running, loaded;
};

static const char *
base_of(const struct privsep *p)
{
	return p != NULL && p->have_base ? p->base : NULL;
}

/* The paths of f; those of its file taken only if trusted() passes. */
static int
collect(const struct privsep_files *f, conffile_trust_fn *trusted,
    char **paths, size_t max, char *err, size_t errlen)
{
	size_t n = 0;
	int k = 0;

	for (; n < f->nfixed && n < max; n++)
		if ((paths[n] = strdup(f->fixed[n])) == NULL)
			goto oom;
	if (f->config != NULL &&
	    (k = conffile_paths(f->config, trusted, paths + n, max - n, err,
	    errlen)) < 0)
		goto fail;
	return (int)n + k;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	while (n > 0)
		free(paths[--n]);
	return -1;
}

int
privsep_paths(const struct privsep_files *f, char **paths, size_t max,
    char *err, size_t errlen)
{
	return collect(f, safeopen_root_only, paths, max, err, errlen);
}

/* --- the helper side ------------------------------------------------- */

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
	n = privsep_paths(h->f, paths, MAX_PATHS, why, sizeof(why));
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

static void
helper_open(struct helper *h, const char *path, struct reply *r, int *fd)
{
	if (!paths_has(&h->running, path) && !paths_has(&h->loaded, path)) {
		r->status = -1;
		snprintf(r->msg, sizeof(r->msg), "'%s': not a log file of the "
		    "configuration (refused by the privileged file opener)",
		    path);
	} else if ((*fd = safeopen_log(base_of(h->p), path, 1, r->msg,
	    sizeof(r->msg))) < 0) {
		r->status = -1;
	}
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
		/* Only the path it was started with, holding linklog's pid. */
		r.status = h->p->pid_file[0] == '\0' ? -1 :
		    process_remove_pid_file(h->p->pid_file, h->p->parent,
		    r.msg, sizeof(r.msg));
	} else if (len >= 3 && req[0] == REQ_OPEN &&
	    memchr(req, '\0', len - 1) == NULL) {
		helper_open(h, req + 1, &r, &fd);
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

/* Gone with linklog, untouched by its signals, holding nothing else. */
static void
helper_isolate(struct helper *h)
{
	sigset_t none;
	int devnull;

	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != h->p->parent)
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
}

static void __attribute__((noreturn))
helper_main(struct helper *h)
{
	char req[MSG_MAX];
	struct reply r;
	ssize_t n;

	helper_isolate(h);
	helper_limit();
	/* From the directory linklog started in, as linklog read it. */
	r.status = 0;
	helper_load(h, &r);
	if (r.status != 0)
		log_msg(LOG_ERR, "%s", r.msg);
	helper_commit(h);
	if (chdir("/") < 0)
		log_msg(LOG_ERR, "the privileged file opener: chdir /: %s",
		    strerror(errno));
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

struct privsep *
privsep_new(void)
{
	struct privsep *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->sock = -1;
	p->pid = -1;
	p->have_base = getcwd(p->base, sizeof(p->base)) != NULL;
	return p;
}

void
privsep_free(struct privsep *p)
{
	if (p == NULL)
		return;
	if (p->sock >= 0)
		close(p->sock);
	free(p);
}

/*
 * Whether f names anything the helper is for (then its configuration must
 * be root's only); -1 if it cannot be read, or is not.
 */
static int
helper_needed(const struct privsep_files *f, char *err, size_t errlen)
{
	char *paths[MAX_PATHS];
	int n = collect(f, NULL, paths, MAX_PATHS, err, errlen);

	for (int i = 0; i < n; i++)
		free(paths[i]);
	if (n <= 0 && f->pid_file == NULL)
		return n < 0 ? -1 : 0;
	n = privsep_paths(f, paths, MAX_PATHS, err, errlen);
	for (int i = 0; i < n; i++)
		free(paths[i]);
	return n < 0 ? -1 : 1;
}

int
privsep_start(struct privsep *p, const struct privsep_files *f, char *err,
    size_t errlen)
{
	struct helper h = { .p = p, .f = f };
	char buf[PATH_MAX];
	const char *pid_file;
	int sv[2], rc;

	p->parent = getpid();
	if (geteuid() != 0)
		return 0;
	if ((rc = helper_needed(f, err, errlen)) == 0) {
		p->root_without = 1;
		return 0;
	}
	if (rc < 0)
		return -1;
	if (f->pid_file != NULL && (pid_file = safeopen_absolute(base_of(p),
	    f->pid_file, buf, sizeof(buf))) != NULL)
		snprintf(p->pid_file, sizeof(p->pid_file), "%s", pid_file);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	switch (p->pid = fork()) {
	case -1:
		snprintf(err, errlen, "cannot start the privileged file "
		    "opener: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	case 0:
		close(sv[0]);
		h.sock = sv[1];
		helper_main(&h);
	}
	close(sv[1]);
	p->sock = sv[0];
	return 0;
}

int
privsep_pid(const struct privsep *p)
{
	return p != NULL && p->sock >= 0 ? (int)p->pid : -1;
}

static void
helper_gone(struct privsep *p, const char *why)
{
	if (p->sock < 0)
		return;
	close(p->sock);
	p->sock = -1;
	log_msg(LOG_ERR, "the privileged file opener %s: the open log files "
	    "are still written, but a reopen (SIGHUP, a removed file) now "
	    "runs with linklog's own rights", why);
}

void
privsep_exited(struct privsep *p, int wstatus)
{
	char why[64];

	if (WIFSIGNALED(wstatus))
		snprintf(why, sizeof(why), "was killed by signal %d",
		    WTERMSIG(wstatus));
	else
		snprintf(why, sizeof(why), "exited with status %d",
		    WEXITSTATUS(wstatus));
	helper_gone(p, why);
}

/* One request, one reply (with a descriptor for an open). */
static int
ask(struct privsep *p, const char *req, size_t len, struct reply *r, int *fd)
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
	if (p == NULL || p->sock < 0)
		return -1;
	if (send(p->sock, req, len, MSG_NOSIGNAL) != (ssize_t)len) {
		helper_gone(p, "does not answer");
		return -1;
	}
	do
		n = recvmsg(p->sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*r)) {
		helper_gone(p, "does not answer");
		return -1;
	}
	r->msg[sizeof(r->msg) - 1] = '\0';
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	return 0;
}

/* A request without a descriptor in its answer: -1 if none was asked. */
static int
ask_plain(struct privsep *p, char what, struct reply *r)
{
	int fd;

	if (ask(p, &what, 1, r, &fd) < 0)
		return -1;
	if (fd >= 0)
		close(fd);
	return 0;
}

/*
 * Started as root with no log file and no pid file, linklog forked no
 * helper: a log file a reload adds is opened with the --run-as user's
 * rights, which a root-only directory refuses.  Say why, and the cure.
 */
static int
open_without(struct privsep *p, const char *path, char *err, size_t errlen)
{
	int fd = safeopen_log(base_of(p), path, 0, err, errlen);
	size_t n = strlen(err);

	if (fd < 0 && errno == EACCES && n < errlen)
		snprintf(err + n, errlen - n, " (linklog was started as root "
		    "with no log file, so it opens files with the --run-as "
		    "user's rights; restart it to have them opened as root)");
	return fd;
}

int
privsep_open(struct privsep *p, const char *path, char *err, size_t errlen)
{
	char req[MSG_MAX];
	struct reply r;
	size_t len = strlen(path);
	int fd;

	if (p != NULL && p->root_without)
		return open_without(p, path, err, errlen);
	if (p == NULL || p->sock < 0 || len + 2 > sizeof(req))
		return safeopen_log(base_of(p), path, 0, err, errlen);
	/* The path without its NUL: the helper refuses one inside. */
	req[0] = REQ_OPEN;
	memcpy(req + 1, path, len);
	if (ask(p, req, len + 1, &r, &fd) < 0)
		return safeopen_log(base_of(p), path, 0, err, errlen);
	if (r.status == 0 && fd >= 0)
		return fd;
	if (fd >= 0)
		close(fd);
	snprintf(err, errlen, "%s", r.status ? r.msg : "no descriptor");
	return -1;
}

int
privsep_reload(struct privsep *p, char *err, size_t errlen)
{
	struct reply r;

	if (ask_plain(p, REQ_RELOAD, &r) < 0 || r.status == 0)
		return 0;
	snprintf(err, errlen, "%s", r.msg);
	return -1;
}

void
privsep_commit(struct privsep *p)
{
	struct reply r;

	(void)ask_plain(p, REQ_COMMIT, &r);
}

int
privsep_remove_pid_file(struct privsep *p)
{
	struct reply r;

	if (p == NULL || p->pid_file[0] == '\0' ||
	    ask_plain(p, REQ_UNLINK_PID, &r) < 0)
		return -1;
	return r.status;
}

void
privsep_reap(struct privsep *p)
{
	int status;
	pid_t pid;

	/* The only child linklog has is the helper. */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (pid == privsep_pid(p))
			privsep_exited(p, status);
}
