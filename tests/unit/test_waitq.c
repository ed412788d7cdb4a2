/* Unit tests for the queue of events waiting for names (src/waitq.c).
 * The resolver's only server is a loopback port where nothing listens
 * and no answer is ever processed, so a lookup stays pending until its
 * wait is over; known names come from the events' messages and from
 * answers held in the resolver (resolve_hold()).  Times are passed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "waitq.h"

#define WAIT_MS 100

struct fixture {
	struct resolver *resolver;
	struct waitq *q;
};

static int
setup(void **state)
{
	struct resolve_config cfg = {
		.servers = "127.0.0.1:9", .timeout_ms = 60000,
		.wait_ms = WAIT_MS, .cache_size = 16, .ttl_max = 3600,
		.negative_ttl = 300, .max_pending = 16,
	};
	struct waitq_lookups lk = { NULL, 1, 0, 0, WAIT_MS };
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	assert_non_null(f);
	f->resolver = resolver_new(&cfg, err, sizeof(err));
	assert_non_null(f->resolver);
	f->q = waitq_new();
	assert_non_null(f->q);
	lk.resolver = f->resolver;
	waitq_configure(f->q, &lk);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	waitq_free(f->q);
	resolver_free(f->resolver);
	free(f);
	return 0;
}

/* The event of message, from router 192.0.2.1 at second t. */
static struct event
event_of(const char *message, time_t t)
{
	struct sockaddr_in *sin;
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	assert_int_equal(parse_message(message, strlen(message), &ev),
	    strlen(message));
	sin = (struct sockaddr_in *)&ev.router.addr;
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &sin->sin_addr);
	ev.router.len = sizeof(*sin);
	ev.time = t;
	return ev;
}

/* The source address of the item, as text (static). */
static const char *
source_of(const struct waitq_item *it)
{
	static char text[INET_ADDRSTRLEN];

	assert_null(it->text);
	inet_ntop(AF_INET, &it->ev->src.addr, text, sizeof(text));
	return text;
}

static void
without_a_resolver_at_once(void **state)
{
	struct fixture *f = *state;
	struct waitq_lookups lk = { NULL, 1, 1, 1, WAIT_MS };
	struct event a = event_of("@in TCP from 203.0.113.1:1 to 10.0.0.1:22",
	    1), b = event_of("@in TCP from scan.example(203.0.113.2):1 to "
	    "10.0.0.1:22", 1);
	struct waitq_item it;
	struct names n;

	(void)state;
	waitq_configure(f->q, &lk);
	assert_int_equal(waitq_event(f->q, &a, 1, 1000, &n), 1);
	assert_null(n.src);
	assert_null(n.dst);
	assert_null(n.router);
	waitq_done(f->q, &n);
	assert_int_equal(waitq_event(f->q, &b, 1, 1000, &n), 1);
	assert_string_equal(n.src, "scan.example");
	waitq_done(f->q, &n);
	/* Nothing queued: text is written at once too. */
	assert_int_equal(waitq_text(f->q, &a, "text", 4), 1);
	assert_true(waitq_empty(f->q));
	assert_int_equal(waitq_pop(f->q, 1000, WAITQ_ONE, &it), 0);
	assert_int_equal(waitq_timeout_ms(f->q, 1000), -1);
	assert_int_equal(resolver_stats(f->resolver)->sent, 0);
}

/*
 * One event waits for its source's name: those behind it wait too, even
 * with their names known (a message's, or an answer the resolver holds),
 * and a forwarded string keeps its place.  At the deadline the first goes
 * without a name (waited_out), then the others in order.
 */
static void
order_kept_behind_a_wait(void **state)
{
	struct fixture *f = *state;
	struct event a = event_of("@in TCP from 203.0.113.1:1 to 10.0.0.1:22",
	    1), b = event_of("@in TCP from scan.example(203.0.113.2):2 to "
	    "10.0.0.1:22", 1), c = event_of("@in TCP from 203.0.113.5:3 to "
	    "10.0.0.1:22", 1), d = event_of("@in TCP from 203.0.113.1:4 to "
	    "10.0.0.1:22", 1);
	struct sockaddr_in five;
	struct waitq_item it;
	resolve_ticket held;
	struct names n;

	memset(&five, 0, sizeof(five));
	five.sin_family = AF_INET;
	five.sin_addr = c.src.addr;
	held = resolve_hold(f->resolver, (struct sockaddr *)&five,
	    RESOLVE_NAME, "five.example");
	assert_int_not_equal(held, 0);
	assert_int_equal(waitq_event(f->q, &a, 1, 1000, &n), 0);
	assert_int_equal(waitq_event(f->q, &b, 2, 1010, &n), 0);
	assert_int_equal(waitq_event(f->q, &c, 4, 1020, &n), 0);
	assert_int_equal(waitq_text(f->q, &a, "rebooted", 8), 0);
	assert_int_equal(waitq_event(f->q, &d, 8, 1050, &n), 0);
	/* One query per address, however many wait for it. */
	assert_int_equal(resolver_stats(f->resolver)->sent, 1);
	/* The queue's hold keeps c's answer after the first one is gone. */
	resolve_release(f->resolver, held);
	assert_false(waitq_empty(f->q));
	assert_int_equal(waitq_timeout_ms(f->q, 1000), WAIT_MS);
	assert_int_equal(waitq_timeout_ms(f->q, 1040), WAIT_MS - 40);
	assert_int_equal(waitq_pop(f->q, 1099, WAITQ_READY, &it), 0);
	assert_int_equal(waitq_pop(f->q, 1100, WAITQ_READY, &it), 1);
	assert_string_equal(source_of(&it), "203.0.113.1");
	assert_int_equal(it.rules, 1);
	assert_true(it.waited_out);
	assert_null(it.names.src);
	/* Those with their names go at once, in order. */
	assert_int_equal(waitq_pop(f->q, 1100, WAITQ_READY, &it), 1);
	assert_string_equal(source_of(&it), "203.0.113.2");
	assert_string_equal(it.names.src, "scan.example");
	assert_int_equal(it.rules, 2);
	assert_false(it.waited_out);
	assert_int_equal(waitq_pop(f->q, 1100, WAITQ_READY, &it), 1);
	assert_string_equal(source_of(&it), "203.0.113.5");
	assert_string_equal(it.names.src, "five.example");
	assert_int_equal(it.rules, 4);
	assert_false(it.waited_out);
	assert_int_equal(waitq_pop(f->q, 1100, WAITQ_READY, &it), 1);
	assert_non_null(it.text);
	assert_int_equal(it.text_len, 8);
	assert_memory_equal(it.text, "rebooted", 8);
	assert_int_equal(it.ev->time, 1);
	assert_int_equal(it.ev->router.len, sizeof(struct sockaddr_in));
	/* The last one waits its own time, from when it came. */
	assert_int_equal(waitq_timeout_ms(f->q, 1100), 50);
	assert_int_equal(waitq_pop(f->q, 1149, WAITQ_READY, &it), 0);
	assert_int_equal(waitq_pop(f->q, 1150, WAITQ_READY, &it), 1);
	assert_string_equal(source_of(&it), "203.0.113.1");
	assert_int_equal(it.ev->src.port, 4);
	assert_true(it.waited_out);
	assert_true(waitq_empty(f->q));
	assert_int_equal(waitq_timeout_ms(f->q, 1150), -1);
	assert_int_equal(waitq_pop(f->q, 5000, WAITQ_ONE, &it), 0);
}

/* With the queue empty, a known name is written at once; the hold it
 * took is let go by waitq_done(). */
static void
known_names_at_once(void **state)
{
	struct fixture *f = *state;
	struct waitq_lookups lk = { f->resolver, 1, 0, 0, WAIT_MS };
	struct event c = event_of("@in TCP from 203.0.113.5:3 to 10.0.0.1:22",
	    1);
	struct sockaddr_in five;
	resolve_ticket held;
	struct names n;

	waitq_configure(f->q, &lk);
	memset(&five, 0, sizeof(five));
	five.sin_family = AF_INET;
	five.sin_addr = c.src.addr;
	held = resolve_hold(f->resolver, (struct sockaddr *)&five,
	    RESOLVE_NAME, "five.example");
	assert_int_equal(waitq_event(f->q, &c, 1, 1000, &n), 1);
	assert_string_equal(n.src, "five.example");
	assert_null(n.dst);
	waitq_done(f->q, &n);
	resolve_release(f->resolver, held);
	assert_int_equal(resolve_in_flight(f->resolver), 0);
	assert_int_equal(resolver_stats(f->resolver)->sent, 0);
}

/* WAITQ_ONE takes the oldest whatever it waits for. */
static void
one_forces_the_oldest(void **state)
{
	struct fixture *f = *state;
	struct event a = event_of("@in TCP from 203.0.113.1:1 to 10.0.0.1:22",
	    1);
	struct waitq_item it;
	struct names n;

	assert_int_equal(waitq_event(f->q, &a, 1, 1000, &n), 0);
	assert_int_equal(waitq_pop(f->q, 1001, WAITQ_READY, &it), 0);
	assert_int_equal(waitq_pop(f->q, 1001, WAITQ_ONE, &it), 1);
	assert_true(it.waited_out);
	assert_null(it.names.src);
	assert_true(waitq_empty(f->q));
}

/* A full queue says so (-1) until the caller takes one out. */
static void
a_full_queue_refuses(void **state)
{
	struct fixture *f = *state;
	struct event a = event_of("@in TCP from 203.0.113.1:1 to 10.0.0.1:22",
	    1);
	struct waitq_item it;
	struct names n;
	size_t popped = 0;

	for (uint32_t i = 0; i < WAITQ_SIZE; i++) {
		a.src.port = (uint16_t)i;
		assert_int_equal(waitq_event(f->q, &a, 1, 1000, &n), 0);
	}
	assert_int_equal(waitq_event(f->q, &a, 1, 1000, &n), -1);
	assert_int_equal(waitq_text(f->q, &a, "x", 1), -1);
	assert_int_equal(waitq_pop(f->q, 1000, WAITQ_ONE, &it), 1);
	assert_int_equal(it.ev->src.port, 0);
	a.src.port = 65535;
	assert_int_equal(waitq_event(f->q, &a, 1, 1001, &n), 0);
	assert_int_equal(waitq_event(f->q, &a, 1, 1001, &n), -1);
	while (waitq_pop(f->q, 1100, WAITQ_READY, &it)) {
		assert_int_equal(it.ev->src.port,
		    popped + 1 < WAITQ_SIZE ? popped + 1 : 65535);
		assert_true(it.waited_out);
		popped++;
	}
	/* The last one's deadline is a ms later. */
	assert_int_equal(popped, WAITQ_SIZE - 1);
	assert_int_equal(waitq_timeout_ms(f->q, 1100), 1);
	assert_int_equal(waitq_pop(f->q, 1101, WAITQ_READY, &it), 1);
	assert_true(waitq_empty(f->q));
}

#define BIG (300 * 1024)

/*
 * Forwarded text waits behind an event in a ring of WAITQ_TEXT bytes:
 * three strings of 300 KiB fit, a fourth does not until the first is
 * out, and then goes at the ring's start.  Each comes back whole.
 */
static void
text_ring_wraps(void **state)
{
	struct fixture *f = *state;
	struct event a = event_of("@in TCP from 203.0.113.1:1 to 10.0.0.1:22",
	    1);
	static char texts[4][BIG], huge[WAITQ_TEXT + 1];
	struct waitq_item it;
	struct names n;

	for (int i = 0; i < 4; i++)
		memset(texts[i], 'a' + i, BIG);
	assert_int_equal(waitq_event(f->q, &a, 1, 1000, &n), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(waitq_text(f->q, &a, texts[i], BIG), 0);
	assert_int_equal(waitq_text(f->q, &a, texts[3], BIG), -1);
	/* Longer than the ring: never queued, written at once. */
	assert_int_equal(waitq_text(f->q, &a, huge, sizeof(huge)), 1);
	assert_int_equal(waitq_pop(f->q, 1000, WAITQ_ONE, &it), 1);
	assert_null(it.text);
	assert_int_equal(waitq_text(f->q, &a, texts[3], BIG), -1);
	assert_int_equal(waitq_pop(f->q, 1000, WAITQ_READY, &it), 1);
	assert_int_equal(it.text_len, BIG);
	assert_memory_equal(it.text, texts[0], BIG);
	assert_int_equal(waitq_text(f->q, &a, texts[3], BIG), 0);
	/* Behind the text an event waits its own time. */
	assert_int_equal(waitq_event(f->q, &a, 1, 1000, &n), 0);
	for (int i = 1; i < 4; i++) {
		assert_int_equal(waitq_pop(f->q, 1000, WAITQ_READY, &it), 1);
		assert_int_equal(it.text_len, BIG);
		assert_memory_equal(it.text, texts[i], BIG);
	}
	assert_int_equal(waitq_pop(f->q, 1000, WAITQ_READY, &it), 0);
	assert_int_equal(waitq_pop(f->q, 1100, WAITQ_READY, &it), 1);
	assert_null(it.text);
	assert_true(waitq_empty(f->q));
	/* Empty again: the whole ring is free. */
	assert_int_equal(waitq_event(f->q, &a, 1, 2000, &n), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(waitq_text(f->q, &a, texts[i], BIG), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(without_a_resolver_at_once,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(order_kept_behind_a_wait, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(known_names_at_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(one_forces_the_oldest, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(a_full_queue_refuses, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(text_ring_wraps, setup,
		    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
