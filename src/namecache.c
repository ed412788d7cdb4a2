/*
 * namecache.c - fixed-size hash table with an LRU list, indices not
 * pointers, all memory allocated by namecache_new().
 */
#include <stdlib.h>
#include <string.h>

#include "keyhash.h"
#include "namecache.h"

#define NIL UINT32_MAX

struct entry {
	struct namecache_key key;
	uint8_t state;
	uint32_t hnext;                 /* hash chain */
	uint32_t prev, next;            /* LRU list, head = most recent */
	uint64_t expires;
	char name[HOST_NAME_LEN + 1];
};

struct namecache {
	size_t capacity, count;
	uint32_t nbuckets;              /* power of two */
	uint32_t head, tail, free;      /* free: chain through next */
	uint32_t *buckets;
	struct entry *e;
};

static uint32_t
hash(const struct namecache_key *k)
{
	/* Keyed: colliding addresses cannot be chosen from outside. */
	return (uint32_t)keyhash(k, sizeof(*k));
}

struct namecache *
namecache_new(size_t capacity)
{
	struct namecache *c;

	if (capacity == 0 || capacity >= NIL / 2)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->capacity = capacity;
	c->nbuckets = 1;
	while (c->nbuckets < capacity)
		c->nbuckets <<= 1;
	c->buckets = malloc(c->nbuckets * sizeof(*c->buckets));
	c->e = calloc(capacity, sizeof(*c->e));
	if (c->buckets == NULL || c->e == NULL) {
		namecache_free(c);
		return NULL;
	}
	for (uint32_t i = 0; i < c->nbuckets; i++)
		c->buckets[i] = NIL;
	c->head = c->tail = NIL;
	for (size_t i = 0; i < capacity; i++)
		c->e[i].next = i + 1 < capacity ? (uint32_t)(i + 1) : NIL;
	c->free = 0;
	return c;
}

void
namecache_free(struct namecache *c)
{
	if (c == NULL)
		return;
	free(c->buckets);
	free(c->e);
	free(c);
}

static void
lru_unlink(struct namecache *c, uint32_t i)
{
	struct entry *x = &c->e[i];

	if (x->prev != NIL)
		c->e[x->prev].next = x->next;
	else
		c->head = x->next;
	if (x->next != NIL)
		c->e[x->next].prev = x->prev;
	else
		c->tail = x->prev;
}

static void
lru_push_front(struct namecache *c, uint32_t i)
{
	struct entry *x = &c->e[i];

	x->prev = NIL;
	x->next = c->head;
	if (c->head != NIL)
		c->e[c->head].prev = i;
	c->head = i;
	if (c->tail == NIL)
		c->tail = i;
}

static uint32_t *
chain_slot(struct namecache *c, const struct namecache_key *k)
{
	return &c->buckets[hash(k) & (c->nbuckets - 1)];
}

static uint32_t
find(struct namecache *c, const struct namecache_key *k)
{
	for (uint32_t i = *chain_slot(c, k); i != NIL; i = c->e[i].hnext)
		if (memcmp(&c->e[i].key, k, sizeof(*k)) == 0)
			return i;
	return NIL;
}

static void
remove_entry(struct namecache *c, uint32_t i)
{
	uint32_t *slot = chain_slot(c, &c->e[i].key);

	while (*slot != i)
		slot = &c->e[*slot].hnext;
	*slot = c->e[i].hnext;
	lru_unlink(c, i);
	c->e[i].state = NC_MISS;
	c->e[i].next = c->free;
	c->free = i;
	c->count--;
}

enum namecache_state
namecache_get(struct namecache *c, const struct namecache_key *key,
    uint64_t now, char *name)
{
	uint32_t i = find(c, key);

	if (i == NIL)
		return NC_MISS;
	if (now >= c->e[i].expires) {
		remove_entry(c, i);
		return NC_MISS;
	}
	lru_unlink(c, i);
	lru_push_front(c, i);
	if (c->e[i].state == NC_NAME)
		memcpy(name, c->e[i].name, strlen(c->e[i].name) + 1);
	return (enum namecache_state)c->e[i].state;
}

void
namecache_put(struct namecache *c, const struct namecache_key *key,
    const char *name, uint64_t expires)
{
	uint32_t i = find(c, key), *slot;

	if (i != NIL)
		remove_entry(c, i);
	if (c->free == NIL)
		remove_entry(c, c->tail);
	i = c->free;
	c->free = c->e[i].next;
	c->e[i].key = *key;
	c->e[i].expires = expires;
	c->e[i].state = name != NULL ? NC_NAME : NC_NONE;
	c->e[i].name[0] = '\0';
	if (name != NULL) {
		strncpy(c->e[i].name, name, HOST_NAME_LEN);
		c->e[i].name[HOST_NAME_LEN] = '\0';
	}
	slot = chain_slot(c, key);
	c->e[i].hnext = *slot;
	*slot = i;
	lru_push_front(c, i);
	c->count++;
}

size_t
namecache_count(const struct namecache *c)
{
	return c->count;
}
