/*
 * privs.h - giving up root once sockets are bound and files are open.
 */
#ifndef LINKLOG_PRIVS_H
#define LINKLOG_PRIVS_H

#include <stddef.h>
#include <sys/types.h>

struct privs {
	uid_t uid;
	gid_t gid;
	char user[64];
};

/* Look user up now (before any chroot); -1 with a message in err. */
int privs_lookup(const char *user, struct privs *p, char *err, size_t errlen);

/*
 * Drop supplementary groups, then the group, then the user, and forbid
 * regaining privileges (no_new_privs).  Only when running as root.
 * Returns 0, or -1 with a message in err.
 */
int privs_drop(const struct privs *p, char *err, size_t errlen);

/*
 * The settings' check of run_as: the user exists (refused at the load
 * rather than at the start as root).  0, or -1 with the reason in err.
 */
int privs_check_user(const char *v, char *err, size_t errlen);

#endif
