/* Unit tests for the inform bookkeeping (src/inform.c): the table of
 * informs acknowledged, what an inform costs the rate limit, and
 * inform_admit()'s verdicts, with the Response sent through a real
 * socket on 127.0.0.1 and read back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <unistd.h>

#include "access.h"
#include "inform.h"
#include "testnet.h"
#include "trapgen.h"
#include "unparsed.h"

#define SA(x) ((const struct sockaddr *)&(x))
#define T0 UINT64_C(1000000000)

static void
informs_written_once(void **state)
{
	struct inform_table *t = inform_table_new();
	struct sockaddr_in a = testnet_v4("192.0.2.1", 40000);
	struct sockaddr_in a_other_port = testnet_v4("192.0.2.1", 40001);
	struct sockaddr_in6 six = testnet_v6("2001:db8::1", 40000);
	time_t now = 3000000;

	(void)state;
	assert_false(inform_seen(t, SA(a), 7, 1, now, 1));
	assert_true(inform_seen(t, SA(a), 7, 1, now + 5, 1));
	assert_false(inform_seen(t, SA(a), 8, 1, now + 5, 1));
	assert_false(inform_seen(t, SA(a_other_port), 7, 1, now + 5, 1));
	assert_false(inform_seen(t, SA(six), 7, 1, now + 5, 1));
	assert_true(inform_seen(t, SA(six), 7, 1, now + 6, 1));
	/* Remembered for a minute from the first copy, not from the last. */
	assert_true(inform_seen(t, SA(a), 7, 1, now + 59, 1));
	assert_false(inform_seen(t, SA(a), 7, 1, now + 60, 1));
	/* The same request-id with other varbinds is another inform (a
	 * rebooted sender, or a forged copy sent ahead): written too. */
	assert_false(inform_seen(t, SA(a), 9, 1, now + 70, 1));
	assert_false(inform_seen(t, SA(a), 9, 2, now + 71, 1));
	assert_true(inform_seen(t, SA(a), 9, 2, now + 72, 1));
	/* Looked up without remembering (an inform the rate limit
	 * refused): its retransmission is still new. */
	assert_false(inform_seen(t, SA(a), 10, 1, now + 80, 0));
	assert_false(inform_seen(t, SA(a), 10, 1, now + 81, 0));
	assert_false(inform_seen(t, SA(a), 10, 1, now + 82, 1));
	assert_true(inform_seen(t, SA(a), 10, 1, now + 83, 0));
	assert_int_equal(inform_fingerprint("abc", 3),
	    inform_fingerprint("abc", 3));
	assert_int_not_equal(inform_fingerprint("abc", 3),
	    inform_fingerprint("abd", 3));
	inform_table_free(t);
}


/* An inform decoded, and the datagram it came in from tx (its reply
 * handle: the receiving socket rx). */
struct inform {
	unsigned char buf[4096];
	size_t len;
	struct trap trap;
	struct datagram dg;
};

static struct sockaddr_in rx_addr, tx_addr;
static int rx = -1, tx = -1;

static int
setup(void **state)
{
	(void)state;
	rx = testnet_udp(&rx_addr);
	tx = testnet_udp(&tx_addr);
	assert_true(rx >= 0 && tx >= 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	close(rx);
	close(tx);
	return 0;
}

static void
inform_of(struct inform *in, long reqid, const char *const *strings,
    size_t n)
{
	static struct span spans[DECODE_MAX_STRINGS];
	size_t ns;

	in->len = trapgen_build_ex(2, 1, reqid, "public", NULL, strings, n,
	    in->buf, sizeof(in->buf));
	assert_true(in->len > 0);
	assert_int_equal(decode_trap(in->buf, in->len, &in->trap, spans,
	    DECODE_MAX_STRINGS, &ns), DECODE_OK);
	assert_true(in->trap.inform);
	memset(&in->dg, 0, sizeof(in->dg));
	in->dg.buf = in->buf;
	in->dg.len = in->len;
	in->dg.from = (const struct sockaddr *)&tx_addr;
	in->dg.fromlen = sizeof(tx_addr);
	in->dg.reply.fd = rx;
}

/* Whether the Response to in came to tx from rx (within 2 s; 0 ms when
 * none is expected). */
static int
answered(const struct inform *in, int expected)
{
	unsigned char got[4096], want[4096];
	struct sockaddr_in from;
	size_t wlen = decode_inform_response(&in->trap, want, sizeof(want));
	ssize_t n = testnet_recv(tx, got, sizeof(got), expected ? 2000 : 0,
	    &from);

	if (n < 0)
		return 0;
	assert_int_equal(n, (ssize_t)wlen);
	assert_memory_equal(got, want, wlen);
	assert_int_equal(from.sin_port, rx_addr.sin_port);
	return 1;
}

static enum inform_verdict
admit(struct inform_table *t, struct access *ac, const struct inform *in,
    uint64_t cost, uint64_t now, struct inform_stats *st)
{
	return inform_admit(t, ac, &in->trap, &in->dg, cost, cost, now, st);
}

static const char *const two[] = {
	"@in TCP from 1.1.1.1:1 to 2.2.2.2:2",
	"@in TCP from 3.3.3.3:3 to 4.4.4.4:4",
};

/* No rate limit: answered, written once in a minute, answered again. */
static void
admitted_and_repeated(void **state)
{
	struct inform_table *t = inform_table_new();
	struct inform_stats st = { 0, 0, 0, 0, 0 };
	struct inform a;

	(void)state;
	inform_of(&a, 42, two, 2);
	assert_false(inform_repeats(t, &a.trap, a.dg.from, T0));
	assert_int_equal(admit(t, NULL, &a, 2, T0, &st), INFORM_NEW);
	assert_true(answered(&a, 1));
	assert_true(inform_repeats(t, &a.trap, a.dg.from, T0 + 1000));
	assert_int_equal(admit(t, NULL, &a, 2, T0 + 1000, &st),
	    INFORM_REPEAT);
	assert_true(answered(&a, 1));
	assert_false(answered(&a, 0));
	/* A minute on, the same inform is another one. */
	assert_false(inform_repeats(t, &a.trap, a.dg.from,
	    T0 + INFORM_WINDOW * 1000));
	assert_int_equal(admit(t, NULL, &a, 2, T0 + INFORM_WINDOW * 1000, &st),
	    INFORM_NEW);
	assert_true(answered(&a, 1));
	assert_int_equal(st.informs, 3);
	assert_int_equal(st.inform_repeats, 1);
	assert_int_equal(st.responses, 3);
	assert_int_equal(st.response_errors, 0);
	assert_int_equal(st.informs_limited, 0);
	/* An answer the socket refuses is counted; the inform is in. */
	inform_of(&a, 43, two, 2);
	a.dg.reply.fd = -1;
	assert_int_equal(admit(t, NULL, &a, 2, T0, &st), INFORM_NEW);
	assert_int_equal(st.response_errors, 1);
	assert_int_equal(st.informs, 4);
	inform_table_free(t);
}

/*
 * --rate-limit=5: a new inform costs its lines, a retransmission 1; one
 * refused is not answered, its lines are the rate limit's to count, and
 * it is not remembered: its retransmission is new.
 */
static void
admitted_within_the_budget(void **state)
{
	struct inform_table *t = inform_table_new();
	struct inform_stats st = { 0, 0, 0, 0, 0 };
	static const struct string_list none;
	char err[256];
	struct access *ac = access_new(&none, &none, 5, err, sizeof(err));
	const struct access_stats *as = access_stats(ac);
	struct inform a, b;
	int passed = 0;

	(void)state;
	assert_non_null(ac);
	inform_of(&a, 1, two, 2);
	inform_of(&b, 2, two + 1, 1);
	assert_int_equal(admit(t, ac, &a, 4, T0, &st), INFORM_NEW);
	assert_true(answered(&a, 1));
	/* Charged 1, not 4: the next second has its whole budget. */
	assert_int_equal(admit(t, ac, &a, 4, T0, &st), INFORM_REPEAT);
	assert_true(answered(&a, 1));
	for (int i = 0; i < 6; i++)
		passed += access_rate(ac, a.dg.from, T0 + 1000);
	assert_int_equal(passed, 5);
	assert_int_equal(as->rate_limited, 1);
	/* Over the budget: refused whole, not answered. */
	assert_int_equal(admit(t, ac, &b, 3, T0 + 1000, &st), INFORM_LIMITED);
	assert_false(answered(&b, 0));
	assert_int_equal(as->rate_limited, 1 + 3);
	assert_int_equal(st.informs_limited, 1);
	assert_false(inform_repeats(t, &b.trap, b.dg.from, T0 + 1000));
	/* A retransmission refused counts no line: none would be written. */
	assert_int_equal(admit(t, ac, &a, 4, T0 + 1000, &st), INFORM_LIMITED);
	assert_int_equal(as->rate_limited, 4);
	assert_int_equal(st.informs_limited, 2);
	/* The next second b comes again: new, written. */
	assert_int_equal(admit(t, ac, &b, 3, T0 + 2000, &st), INFORM_NEW);
	assert_true(answered(&b, 1));
	assert_int_equal(st.informs, 3);
	assert_int_equal(st.inform_repeats, 1);
	assert_int_equal(st.responses, 3);
	access_free(ac);
	inform_table_free(t);
}

static void
what_an_inform_costs(void **state)
{
	char text[130];
	struct span spans[4] = {
		{ "@in TCP from 1.1.1.1:1 to 2.2.2.2:2", 35 },
		{ "@in TCP from 1.1.1.1:1 to 2.2.2.2:2 "
		    "@out UDP from 3.3.3.3:3 to 4.4.4.4:4", 72 },
		{ text, sizeof(text) },
		{ "", 0 },
	};
	uint64_t cost, events;

	(void)state;
	memset(text, 't', sizeof(text));
	inform_cost(spans, 4, 0, &cost, &events);
	assert_int_equal(events, 3);
	assert_int_equal(cost, 3);
	/* Forwarded strings cost their size. */
	inform_cost(spans, 4, 1, &cost, &events);
	assert_int_equal(events, 3);
	assert_int_equal(cost, 3 + unparsed_cost(130) + unparsed_cost(0));
	assert_int_equal(unparsed_cost(130), 3);
	/* An answer costs one, whatever it carries. */
	inform_cost(spans, 0, 1, &cost, &events);
	assert_int_equal(cost, 1);
	assert_int_equal(events, 0);
	inform_cost(spans + 2, 2, 0, &cost, &events);
	assert_int_equal(cost, 1);
	assert_int_equal(events, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(informs_written_once),
		cmocka_unit_test_setup_teardown(admitted_and_repeated, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(admitted_within_the_budget,
		    setup, teardown),
		cmocka_unit_test(what_an_inform_costs),
	};

	decode_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
