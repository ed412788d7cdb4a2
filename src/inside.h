/*
 * inside.h - which addresses are the LAN's: the `inside` setting.
 *
 * A list of IPv4 networks (--inside=CIDR, repeatable; default the RFC 1918
 * networks and the link-local 169.254.0.0/16).  Scan detection tracks
 * outside sources scanning in and inside hosts scanning out by it; the
 * inventory and the report use it too.  The events of a Linksys router
 * carry IPv4 addresses only, so IPv6 networks are refused.
 */
#ifndef LINKLOG_INSIDE_H
#define LINKLOG_INSIDE_H

#include <netinet/in.h>
#include <stddef.h>

#include "options.h"

#define INSIDE_DEFAULT "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, " \
	"169.254.0.0/16"

struct inside;

/* The networks of list (the default when empty); NULL with a message in
 * err for a bad one. */
struct inside *inside_new(const struct string_list *list, char *err,
    size_t errlen);
void inside_free(struct inside *in);

/* Whether a (network byte order) is in one of the networks. */
int inside_contains(const struct inside *in, struct in_addr a);

/* The setting's check: 0, or -1 with the reason in err. */
int inside_check(const char *text, char *err, size_t errlen);

/* 0 if text is an IPv4 network "ADDR[/BITS]", else -1. */
int inside_parse(const char *text, uint32_t *net, uint32_t *mask);

#endif
