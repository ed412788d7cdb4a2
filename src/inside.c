/*
 * inside.c - the LAN's networks, and the test of one address against
 * them: a short list of (network, mask) pairs, searched in order.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "inside.h"

struct net {
	uint32_t net, mask;     /* host byte order */
};

struct inside {
	size_t n;
	struct net v[OPTIONS_MAX_LIST];
};

static const char *const defaults[] = {
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
};

int
inside_parse(const char *text, uint32_t *net, uint32_t *mask)
{
	uint8_t family, addr[16];
	unsigned bits;
	uint32_t a;

	if (access_parse_cidr(text, &family, addr, &bits) < 0 ||
	    family != AF_INET)
		return -1;
	memcpy(&a, addr, 4);
	*mask = bits == 0 ? 0 : UINT32_MAX << (32 - bits);
	*net = ntohl(a) & *mask;
	return 0;
}

int
inside_check(const char *text, char *err, size_t errlen)
{
	uint32_t net, mask;

	if (inside_parse(text, &net, &mask) == 0)
		return 0;
	snprintf(err, errlen, "invalid network '%s' (expected an IPv4 ADDRESS "
	    "or ADDRESS/BITS)", text);
	return -1;
}

static int
add(struct inside *in, const char *text, char *err, size_t errlen)
{
	struct net *n = &in->v[in->n];

	if (inside_parse(text, &n->net, &n->mask) < 0) {
		snprintf(err, errlen, "invalid inside network '%s' (expected "
		    "an IPv4 ADDRESS or ADDRESS/BITS)", text);
		return -1;
	}
	in->n++;
	return 0;
}

struct inside *
inside_new(const struct string_list *list, char *err, size_t errlen)
{
	struct inside *in = calloc(1, sizeof(*in));
	size_t n = list != NULL ? list->n : 0;

	if (in == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < (n ? n : sizeof(defaults) / sizeof(defaults[0]));
	    i++) {
		if (add(in, n ? list->v[i] : defaults[i], err, errlen) < 0) {
			free(in);
			return NULL;
		}
	}
	return in;
}

void
inside_free(struct inside *in)
{
	free(in);
}

int
inside_contains(const struct inside *in, struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	for (size_t i = 0; i < in->n; i++)
		if ((h & in->v[i].mask) == in->v[i].net)
			return 1;
	return 0;
}
