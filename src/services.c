/*
 * services.c - service names for ports, loaded once with getservent(3).
 */
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "services.h"

struct service {
	uint16_t port;
	uint8_t proto;
	uint32_t seq;           /* file order, to keep the first name */
	char *name;
};

static struct service *table;
static size_t count;
static int loaded;

static int
compare(const void *a, const void *b)
{
	const struct service *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return (int)x->proto - (int)y->proto;
}

static int
compare_in_order(const void *a, const void *b)
{
	const struct service *x = a, *y = b;
	int c = compare(a, b);

	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
add(uint16_t port, enum protocol proto, const char *name, size_t *cap)
{
	struct service *t;

	if (count == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		t = realloc(table, *cap * sizeof(*t));
		if (t == NULL)
			return -1;
		table = t;
	}
	table[count].port = port;
	table[count].proto = (uint8_t)proto;
	table[count].seq = (uint32_t)count;
	if ((table[count].name = strdup(name)) == NULL)
		return -1;
	count++;
	return 0;
}

int
services_load(void)
{
	struct servent *se;
	size_t cap = 0, out = 0;
	enum protocol proto;

	services_free();
	setservent(1);
	while ((se = getservent()) != NULL) {
		if (strcmp(se->s_proto, "tcp") == 0)
			proto = PROTO_TCP;
		else if (strcmp(se->s_proto, "udp") == 0)
			proto = PROTO_UDP;
		else
			continue;
		if (add(ntohs((uint16_t)se->s_port), proto, se->s_name, &cap) < 0) {
			endservent();
			return -1;
		}
	}
	endservent();
	qsort(table, count, sizeof(*table), compare_in_order);
	/* Keep the first name of a port, as getservbyport(3) would. */
	for (size_t i = 0; i < count; i++) {
		if (out > 0 && compare(&table[out - 1], &table[i]) == 0) {
			free(table[i].name);
			continue;
		}
		table[out++] = table[i];
	}
	count = out;
	loaded = 1;
	return (int)count;
}

static const char *
lookup(uint16_t port, enum protocol proto)
{
	struct service key = { port, (uint8_t)proto, 0, NULL }, *found;

	if (count == 0)
		return NULL;
	found = bsearch(&key, table, count, sizeof(*table), compare);
	return found ? found->name : NULL;
}

const char *
services_name(uint16_t port, enum protocol proto)
{
	const char *tcp, *udp;

	if (proto != PROTO_UNKNOWN)
		return lookup(port, proto);
	tcp = lookup(port, PROTO_TCP);
	udp = lookup(port, PROTO_UDP);
	if (tcp == NULL || udp == NULL)
		return tcp != NULL ? tcp : udp;
	return strcmp(tcp, udp) == 0 ? tcp : NULL;
}

void
services_free(void)
{
	for (size_t i = 0; i < count; i++)
		free(table[i].name);
	free(table);
	table = NULL;
	count = 0;
	loaded = 0;
}

int
services_loaded(void)
{
	return loaded;
}
