/*
 * privs.c - privilege drop in the order that leaves nothing behind: the
 * original LinkLog called setuid() only and kept root's groups.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "privs.h"

int
privs_lookup(const char *user, struct privs *p, char *err, size_t errlen)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		if (errno != 0)
			snprintf(err, errlen, "cannot look up user '%s': %s",
			    user, strerror(errno));
		else
			snprintf(err, errlen, "unknown user '%s' (--run-as)",
			    user);
		return -1;
	}
	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	snprintf(p->user, sizeof(p->user), "%s", user);
	return 0;
}

int
privs_drop(const struct privs *p, char *err, size_t errlen)
{
	if (geteuid() != 0)
		return 0;
	if (p->uid == 0) {
		snprintf(err, errlen, "refusing to run as '%s': it is root "
		    "(choose another --run-as user)", p->user);
		return -1;
	}
	if (setgroups(0, NULL) < 0 ||
	    setresgid(p->gid, p->gid, p->gid) < 0 ||
	    setresuid(p->uid, p->uid, p->uid) < 0) {
		snprintf(err, errlen, "cannot become user '%s': %s", p->user,
		    strerror(errno));
		return -1;
	}
	/* Make sure it cannot be undone. */
	if (setuid(0) == 0 || seteuid(0) == 0) {
		snprintf(err, errlen, "could regain root after dropping it");
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "cannot set no_new_privs: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* The user must exist: refused here rather than at the start as root. */
int
privs_check_user(const char *v, char *err, size_t errlen)
{
	if (*v == '\0') {
		snprintf(err, errlen, "must not be empty");
		return -1;
	}
	errno = 0;
	if (getpwnam(v) != NULL)
		return 0;
	if (errno != 0)
		snprintf(err, errlen, "cannot look up user '%s': %s", v,
		    strerror(errno));
	else
		snprintf(err, errlen, "unknown user '%s'", v);
	return -1;
}
