/*
 * model.c - the report's containers: growing vectors, the dense timeline,
 * and freeing it all (see model.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

void *
rep_grow(void **v, size_t *n, size_t *cap, size_t size)
{
	char *p;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;

		p = realloc(*v, ncap * size);
		if (p == NULL)
			return NULL;
		*v = p;
		*cap = ncap;
	}
	p = (char *)*v + *n * size;
	memset(p, 0, size);
	(*n)++;
	return p;
}

char *
rep_strdup(const char *s)
{
	char *c;

	if (s == NULL)
		return NULL;
	if ((c = strdup(s)) == NULL) {
		fputs("linklog-report: out of memory\n", stderr);
		exit(1);
	}
	return c;
}

int
model_empty(const struct report *r)
{
	return r->totals.events == 0 && r->totals.scans == 0 &&
	    r->totals.new_hosts == 0 && r->new_hosts.n == 0 && r->scans.n == 0;
}

int
model_hours(struct report *r)
{
	time_t first = r->from - r->from % 3600;
	size_t n = r->to > first ? (size_t)((r->to - first + 3599) / 3600) : 0;

	free(r->timeline.v);
	r->timeline.v = calloc(n ? n : 1, sizeof(*r->timeline.v));
	if (r->timeline.v == NULL)
		return -1;
	r->timeline.n = r->timeline.cap = n;
	for (size_t i = 0; i < n; i++)
		r->timeline.v[i].hour = first + (time_t)i * 3600;
	return 0;
}

struct rep_hour *
model_hour(struct report *r, time_t t)
{
	size_t i;

	if (r->timeline.n == 0 || t < r->timeline.v[0].hour)
		return NULL;
	i = (size_t)((t - r->timeline.v[0].hour) / 3600);
	return i < r->timeline.n ? &r->timeline.v[i] : NULL;
}

static void
free_peer(struct rep_peer *p)
{
	free(p->ip);
	free(p->name);
	free(p->country);
	free(p->as_org);
}

void
model_free(struct report *r)
{
	for (size_t i = 0; i < r->outside.n; i++)
		free_peer(&r->outside.v[i]);
	for (size_t i = 0; i < r->inside.n; i++) {
		free(r->inside.v[i].ip);
		free(r->inside.v[i].name);
		for (size_t j = 0; j < r->inside.v[i].ntop; j++)
			free_peer(&r->inside.v[i].top[j]);
	}
	for (size_t i = 0; i < r->new_hosts.n; i++) {
		free(r->new_hosts.v[i].ip);
		free(r->new_hosts.v[i].name);
		free(r->new_hosts.v[i].first_dest);
	}
	for (size_t i = 0; i < r->scans.n; i++) {
		free(r->scans.v[i].source);
		free(r->scans.v[i].target);
	}
	for (size_t i = 0; i < r->lost.n; i++)
		free(r->lost.v[i].name);
	free(r->timeline.v);
	free(r->outside.v);
	free(r->inside.v);
	free(r->new_hosts.v);
	free(r->scans.v);
	free(r->ports_in.v);
	free(r->ports_out.v);
	free(r->lost.v);
	free(r->source);
	memset(r, 0, sizeof(*r));
}
