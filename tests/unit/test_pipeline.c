/* Unit tests for the pipeline's sequence (src/pipeline.c): datagrams
 * built by net-snmp's encoder (tests/lib/trapgen.c) go through
 * pipeline_datagram() to a sink on a memfd that is read back line by
 * line, with no resolver (the wait queue has its own tests).  Informs
 * come through a real receiver on 127.0.0.1 and are answered through
 * their datagram's reply handle.  After every case the counters add up
 * as linklog(8) STATISTICS says. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "decode.h"
#include "pipeline.h"
#include "testnet.h"
#include "trapgen.h"

/* A second on the loop's clock, far from 0 as on a running machine. */
#define T0 UINT64_C(1000000000)
/* What every event is written as: addresses and ports, nothing local. */
#define TEMPLATE "%a:%S>%A:%D"

struct fixture {
	int fd;                         /* the memfd the sink writes */
	off_t off;                      /* read back up to here */
	struct sink *sink;
	struct template *tpl, *tpl_a, *tpl_b;
	struct filter *global;
	struct rule rules[3];
	struct pipeline_config pc;
	struct pipeline *p;
	struct access *access;
	struct resolver *resolver;
	uint64_t datagrams;             /* handed to pipeline_datagram() */
	uint64_t traps;                 /* of them, decoded traps */
	int waiting;                    /* events may wait for names */
	char out[1 << 16];
};

static const struct string_list none;

static struct template *
compile(const char *text)
{
	char err[256];
	struct template *t = render_compile(text, err, sizeof(err));

	assert_non_null(t);
	return t;
}

/* One rule, every event, to the memfd through TEMPLATE. */
static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->fd = memfd_create("pipeline", 0);
	assert_true(f->fd >= 0);
	f->sink = sink_fd("memfd", f->fd, 0);
	f->tpl = compile(TEMPLATE);
	f->global = filter_new();
	f->rules[0].filter = filter_new();
	f->rules[0].outputs[0] = (struct output){ .sink = f->sink,
	    .tpl = f->tpl };
	f->rules[0].noutputs = 1;
	f->pc.out.filter = f->global;
	f->pc.out.rules = f->rules;
	f->pc.out.nrules = 1;
	f->pc.out.show_ports = 1;
	*state = f;
	return 0;
}

static void
start(struct fixture *f)
{
	f->pc.access = f->access;
	f->p = pipeline_new(&f->pc);
	assert_non_null(f->p);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	pipeline_free(f->p);
	access_free(f->access);
	resolver_free(f->resolver);
	for (size_t i = 0; i < 3; i++)
		filter_free(f->rules[i].filter);
	filter_free(f->global);
	render_free(f->tpl);
	render_free(f->tpl_a);
	render_free(f->tpl_b);
	sink_close(f->sink);
	close(f->fd);
	free(f);
	return 0;
}

/*
 * The lines written since the last call, each followed by '\n'; a
 * forwarded line ("<time> [raw] <router>: <text>") as "raw <router>:
 * <text>", without its local time.
 */
static const char *
output(struct fixture *f)
{
	static char raw[sizeof(f->out)];
	ssize_t n;
	char *line, *next, *o = f->out;

	pipeline_flush(f->p);
	n = pread(f->fd, raw, sizeof(raw) - 1, f->off);
	assert_true(n >= 0);
	f->off += n;
	raw[n] = '\0';
	for (line = raw; *line != '\0'; line = next) {
		char *mark;
		next = strchr(line, '\n');
		assert_non_null(next);
		*next++ = '\0';
		if ((mark = strstr(line, " [raw] ")) != NULL)
			o += sprintf(o, "raw %s\n", mark + 7);
		else
			o += sprintf(o, "%s\n", line);
	}
	*o = '\0';
	return f->out;
}

/* The identities of linklog(8) STATISTICS, as far as the pipeline
 * sees them (received: every datagram handed to it). */
static void
check_accounting(const struct fixture *f)
{
	const struct pipeline_stats *ps = pipeline_stats(f->p);
	static const struct access_stats none_counted;
	const struct access_stats *as = f->access != NULL ?
	    access_stats(f->access) : &none_counted;
	uint64_t placed = ps->emitted + ps->filtered + as->rate_limited +
	    ps->scan.suppressed + ps->repeat.suppressed;

	assert_int_equal(f->datagrams, as->rejected_sender + ps->malformed +
	    ps->unsupported + as->rejected_community + ps->decoded);
	assert_int_equal(ps->decoded, f->traps + ps->inform.informs +
	    ps->inform.informs_limited);
	/* An event waiting for its names is in none of them yet. */
	if (f->waiting)
		assert_true(ps->events >= placed);
	else
		assert_int_equal(ps->events, placed);
	if (f->pc.unparsed_raw && f->waiting)
		assert_true(ps->strings.unparsed + ps->strings.binary_strings >=
		    ps->forwarded + as->forward_limited);
	else if (f->pc.unparsed_raw)
		assert_int_equal(ps->strings.unparsed +
		    ps->strings.binary_strings,
		    ps->forwarded + as->forward_limited);
	else
		assert_int_equal(ps->forwarded, 0);
	assert_int_equal(ps->inform.informs, ps->inform.responses +
	    ps->inform.response_errors);
}

static unsigned char dgbuf[65536];

/* Build a datagram (inform: an InformRequest with request-id reqid). */
static size_t
build(int version, int inform, long reqid, const char *community,
    const char *const *strings, size_t n)
{
	size_t len = trapgen_build_ex(version, inform, reqid, community, NULL,
	    strings, n, dgbuf, sizeof(dgbuf));

	assert_true(len > 0);
	return len;
}

/* len bytes of buf from `from` at now, through the pipeline; its reply
 * handle is fd (-1: an inform's answer fails, and is counted). */
static void
feed(struct fixture *f, const unsigned char *buf, size_t len,
    const struct sockaddr_in *from, uint64_t now, int fd)
{
	struct datagram dg;

	memset(&dg, 0, sizeof(dg));
	dg.buf = buf;
	dg.len = len;
	dg.from = (const struct sockaddr *)from;
	dg.fromlen = sizeof(*from);
	dg.when = (struct timeval){ 1700000000, 250000 };
	dg.reply.fd = fd;
	f->datagrams++;
	pipeline_datagram(f->p, &dg, now);
}

static void
datagram(struct fixture *f, const unsigned char *buf, size_t len,
    const struct sockaddr_in *from, uint64_t now, int fd)
{
	feed(f, buf, len, from, now, fd);
	check_accounting(f);
}

/* A v1 or v2c trap of strings from `from`. */
static void
trap(struct fixture *f, int version, const char *community,
    const char *const *strings, size_t n, const struct sockaddr_in *from,
    uint64_t now)
{
	size_t len = build(version, 0, 0, community, strings, n);
	uint64_t decoded = pipeline_stats(f->p)->decoded;

	feed(f, dgbuf, len, from, now, -1);
	if (pipeline_stats(f->p)->decoded > decoded)
		f->traps++;     /* not rejected by the access checks */
	check_accounting(f);
}

#define NSTR(a) (sizeof(a) / sizeof((a)[0]))

static void
events_come_out_in_order(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in r = testnet_v4("192.0.2.1", 161);
	const char *first[] = {
		"@in TCP from 203.0.113.7:51234 to 192.168.1.20:22",
		"@out UDP from 192.168.1.20:40000 to 8.8.8.8:53",
	};
	const char *second[] = { "@in TCP from 1.1.1.1:1 to 2.2.2.2:2" };
	char many[40 * 60], expect[40 * 60], *m = many, *e = expect;
	const char *s[] = { many };
	const struct pipeline_stats *ps;

	start(f);
	trap(f, 2, "public", first, NSTR(first), &r, T0);
	trap(f, 1, "public", second, NSTR(second), &r, T0);
	assert_string_equal(output(f),
	    "203.0.113.7:51234>192.168.1.20:22\n"
	    "192.168.1.20:40000>8.8.8.8:53\n"
	    "1.1.1.1:1>2.2.2.2:2\n");
	/* One string of 40 messages: more than the pipeline parses at
	 * once, in order all the same. */
	for (int i = 0; i < 40; i++) {
		m += sprintf(m, "@in TCP from 10.0.0.%d:%d to 10.1.0.1:22 ",
		    i, 1000 + i);
		e += sprintf(e, "10.0.0.%d:%d>10.1.0.1:22\n", i, 1000 + i);
	}
	trap(f, 2, "public", s, 1, &r, T0 + 1);
	assert_string_equal(output(f), expect);
	ps = pipeline_stats(f->p);
	assert_int_equal(ps->decoded, 3);
	assert_int_equal(ps->events, 43);
	assert_int_equal(ps->emitted, 43);
	assert_int_equal(ps->filtered, 0);
	assert_int_equal(ps->malformed + ps->unsupported, 0);
	assert_int_equal(ps->strings.unparsed + ps->strings.binary_strings, 0);
	assert_int_equal(ps->unresolved + ps->waited_out, 0);
}

/*
 * The global filter, then the rules in order: a rule on the name the
 * message carries (final), one on the source address (final), one on
 * the destination port.  What none lets through is filtered.
 */
static void
rules_and_filters(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in r = testnet_v4("192.0.2.1", 161);
	const char *s[] = {
		"@in TCP from scanner.example.net(203.0.113.7):5 to "
		    "198.51.100.1:22",
		"@in TCP from 10.0.0.1:5 to 198.51.100.1:80",
		"@in TCP from 10.0.0.2:5 to 198.51.100.1:23",
		"@in TCP from 192.0.2.5:5 to 198.51.100.1:22",
		"@in TCP from 192.0.2.6:5 to 198.51.100.1:80",
	};
	char err[256];
	const struct pipeline_stats *ps;

	assert_int_equal(filter_add(f->global, FILTER_PORT_DEST, "!23", err,
	    sizeof(err)), 0);
	f->tpl_a = compile("N %s");
	f->tpl_b = compile("A %a");
	f->rules[2] = f->rules[0];
	assert_int_equal(filter_add(f->rules[2].filter, FILTER_PORT_DEST, "22",
	    err, sizeof(err)), 0);
	f->rules[0].filter = filter_new();
	assert_int_equal(filter_add(f->rules[0].filter, FILTER_HOST_SOURCE,
	    "*.example.net", err, sizeof(err)), 0);
	f->rules[0].outputs[0].tpl = f->tpl_a;
	f->rules[0].final = 1;
	f->rules[1].filter = filter_new();
	assert_int_equal(filter_add(f->rules[1].filter, FILTER_IP_SOURCE,
	    "10.*", err, sizeof(err)), 0);
	f->rules[1].outputs[0] = (struct output){ .sink = f->sink,
	    .tpl = f->tpl_b };
	f->rules[1].noutputs = 1;
	f->rules[1].final = 1;
	f->pc.out.nrules = 3;
	f->pc.out.names_source = 1;
	start(f);
	trap(f, 2, "public", s, NSTR(s), &r, T0);
	assert_string_equal(output(f),
	    "N scanner.example.net\n"
	    "A 10.0.0.1\n"
	    "192.0.2.5:5>198.51.100.1:22\n");
	ps = pipeline_stats(f->p);
	assert_int_equal(ps->events, 5);
	assert_int_equal(ps->emitted, 3);
	assert_int_equal(ps->filtered, 2);
}

/*
 * With names looked up (a resolver whose only server is a loopback port
 * where nothing listens: no answer ever comes), an event waits for its
 * source's name and holds back what follows, a forwarded string and an
 * event with its name in the message, until its wait is over.
 */
static void
names_hold_back_in_order(void **state)
{
	struct fixture *f = *state;
	struct resolve_config rc = {
		.servers = "127.0.0.1:9", .timeout_ms = 60000, .wait_ms = 100,
		.cache_size = 16, .ttl_max = 3600, .negative_ttl = 300,
		.max_pending = 16,
	};
	struct sockaddr_in r = testnet_v4("192.0.2.1", 161);
	const char *s[] = {
		"@in TCP from 203.0.113.1:1 to 10.0.0.1:22",
		"router rebooted",
		"@in TCP from scan.example(203.0.113.2):2 to 10.0.0.1:22",
	};
	const struct pipeline_stats *ps;
	char err[256];

	f->resolver = resolver_new(&rc, err, sizeof(err));
	assert_non_null(f->resolver);
	f->tpl_a = compile("%s %A");
	f->rules[0].outputs[0].tpl = f->tpl_a;
	f->pc.out.names_source = 1;
	f->pc.resolver = f->resolver;
	f->pc.dns_wait_ms = 100;
	f->pc.unparsed_raw = 1;
	f->waiting = 1;
	start(f);
	trap(f, 2, "public", s, NSTR(s), &r, T0);
	assert_string_equal(output(f), "");
	pipeline_release(f->p, T0 + 99, 0);
	assert_string_equal(output(f), "");
	pipeline_release(f->p, T0 + 100, 0);
	assert_string_equal(output(f),
	    "203.0.113.1 10.0.0.1\n"
	    "raw 192.0.2.1: router rebooted\n"
	    "scan.example 10.0.0.1\n");
	ps = pipeline_stats(f->p);
	assert_int_equal(ps->events, 2);
	assert_int_equal(ps->emitted, 2);
	assert_int_equal(ps->forwarded, 1);
	assert_int_equal(ps->waited_out, 1);
	assert_int_equal(ps->unresolved, 1);
	/* Forced out (a reload, a stop), a wait is not counted as over. */
	trap(f, 2, "public", s, 1, &r, T0 + 200);
	pipeline_release(f->p, T0 + 201, 1);
	assert_string_equal(output(f), "203.0.113.1 10.0.0.1\n");
	ps = pipeline_stats(f->p);      /* the stages' counts, as of now */
	assert_int_equal(ps->waited_out, 1);
	assert_int_equal(ps->unresolved, 2);
	f->waiting = 0;
	check_accounting(f);
}

/* Not SNMP, SNMPv3, a GetRequest: counted, reported, nothing written. */
static void
unusable_datagrams_write_nothing(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in r = testnet_v4("192.0.2.1", 161);
	static const unsigned char junk[] = { 0x30, 0x03, 0x02, 0x01 };
	const char *s[] = { "@in TCP from 1.1.1.1:1 to 2.2.2.2:2" };
	size_t len, at;
	const struct pipeline_stats *ps;

	f->pc.unparsed_raw = 1;
	start(f);
	datagram(f, junk, sizeof(junk), &r, T0, -1);
	datagram(f, trapgen_snmpv3, trapgen_snmpv3_len, &r, T0, -1);
	/* A whole trap cut short is malformed, not half written. */
	len = build(2, 0, 0, "public", s, 1);
	datagram(f, dgbuf, len - 3, &r, T0, -1);
	for (at = 0; at < len && dgbuf[at] != 0xa7; at++)
		;
	assert_true(at < len);
	dgbuf[at] = 0xa0;       /* a GetRequest */
	datagram(f, dgbuf, len, &r, T0, -1);
	assert_string_equal(output(f), "");
	ps = pipeline_stats(f->p);
	assert_int_equal(ps->malformed, 2);
	assert_int_equal(ps->unsupported, 2);
	assert_int_equal(ps->decoded, 0);
	assert_int_equal(ps->events, 0);
	assert_int_equal(ps->forwarded, 0);
}

/* --unparsed=forward: every string without a message is written, in
 * its place among the events, and counted as text or binary. */
static void
forwarded_strings_in_order(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in r = testnet_v4("192.0.2.1", 161);
	const char *s[] = {
		"@in TCP from 1.1.1.1:1 to 2.2.2.2:2",
		"router rebooted",
		"\x01\x02\x03\xff",
		"@out TCP from 3.3.3.3:3 to 4.4.4.4:4",
		"@in TCP from broken",
	};
	const struct pipeline_stats *ps;

	f->pc.unparsed_raw = 1;
	start(f);
	trap(f, 2, "public", s, NSTR(s), &r, T0);
	assert_string_equal(output(f),
	    "1.1.1.1:1>2.2.2.2:2\n"
	    "raw 192.0.2.1: router rebooted\n"
	    "raw 192.0.2.1: \\001\\002\\003\\377\n"
	    "3.3.3.3:3>4.4.4.4:4\n"
	    "raw 192.0.2.1: @in TCP from broken\n");
	ps = pipeline_stats(f->p);
	assert_int_equal(ps->events, 2);
	assert_int_equal(ps->emitted, 2);
	assert_int_equal(ps->forwarded, 3);
	assert_int_equal(ps->strings.unparsed, 2);
	assert_int_equal(ps->strings.unparsed_messages, 1);
	assert_int_equal(ps->strings.binary_strings, 1);
}

/* Without it the same strings are counted and not written. */
static void
unforwarded_strings_are_counted(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in r = testnet_v4("192.0.2.1", 161);
	const char *s[] = {
		"router rebooted",
		"@in TCP from 1.1.1.1:1 to 2.2.2.2:2",
		"",
	};
	const struct pipeline_stats *ps;

	start(f);
	trap(f, 1, "public", s, NSTR(s), &r, T0);
	assert_string_equal(output(f), "1.1.1.1:1>2.2.2.2:2\n");
	ps = pipeline_stats(f->p);
	assert_int_equal(ps->forwarded, 0);
	assert_int_equal(ps->strings.unparsed, 1);
	assert_int_equal(ps->strings.binary_strings, 1);
}

/* The inform in dgbuf (len bytes) from tx to the receiver, read by
 * receive_batch() and handed to the pipeline with its reply handle. */
static void
inform_through(struct fixture *f, struct receiver *rx, int tx,
    const struct sockaddr_in *to, size_t len, uint64_t now)
{
	struct datagram dgs[RECEIVE_BATCH];
	struct pollfd pfd = { receive_socket(rx, 0), POLLIN, 0 };
	size_t n;

	assert_int_equal(sendto(tx, dgbuf, len, 0,
	    (const struct sockaddr *)to, sizeof(*to)), (ssize_t)len);
	assert_int_equal(poll(&pfd, 1, 2000), 1);
	assert_int_equal(receive_batch(rx, 0, dgs, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(dgs[0].reply.fd, receive_socket(rx, 0));
	f->datagrams++;
	pipeline_datagram(f->p, &dgs[0], now);
	check_accounting(f);
}

/* The Response to the inform in dgbuf (len bytes), as the decoder
 * builds it, from the receiver's address. */
static void
expect_response(int tx, const struct sockaddr_in *from, size_t len)
{
	static unsigned char resp[RECEIVE_DATAGRAM_MAX], want[sizeof(resp)];
	static struct span sp[DECODE_MAX_STRINGS];
	struct sockaddr_in src;
	struct trap t;
	size_t ns, wlen;
	ssize_t n = testnet_recv(tx, resp, sizeof(resp), 2000, &src);

	assert_int_equal(decode_trap(dgbuf, len, &t, sp, DECODE_MAX_STRINGS,
	    &ns), DECODE_OK);
	assert_true(t.inform);
	wlen = decode_inform_response(&t, want, sizeof(want));
	assert_true(wlen > 0);
	assert_int_equal(n, (ssize_t)wlen);
	assert_memory_equal(resp, want, wlen);
	assert_int_equal(src.sin_port, from->sin_port);
	assert_int_equal(src.sin_addr.s_addr, from->sin_addr.s_addr);
	assert_int_equal(decode_trap(resp, wlen, &t, sp, 4, &ns),
	    DECODE_UNSUPPORTED);
	assert_int_equal(t.pdu, 0xa2);  /* Response-PDU */
}

/* An inform is answered through its datagram's reply handle (a real
 * socket on 127.0.0.1), and its retransmission answered, not written. */
static void
informs_answered_and_written_once(void **state)
{
	struct fixture *f = *state;
	const char *s[] = {
		"@in TCP from 1.1.1.1:1 to 2.2.2.2:2",
		"@in TCP from 5.5.5.5:5 to 6.6.6.6:6",
	};
	const char *listen[] = { "127.0.0.1" };
	struct sockaddr_in to, txa;
	socklen_t tolen = sizeof(to);
	char err[256];
	struct receiver *rx = receive_open(listen, 1, 0, 0, err, sizeof(err));
	int tx = testnet_udp(&txa);
	const struct pipeline_stats *ps;
	unsigned char probe[16];
	size_t len;

	assert_non_null(rx);
	assert_true(tx >= 0);
	assert_int_equal(getsockname(receive_socket(rx, 0),
	    (struct sockaddr *)&to, &tolen), 0);
	start(f);
	len = build(2, 1, 0x1234567, "sesame", s, NSTR(s));
	inform_through(f, rx, tx, &to, len, T0);
	expect_response(tx, &to, len);
	assert_string_equal(output(f),
	    "1.1.1.1:1>2.2.2.2:2\n5.5.5.5:5>6.6.6.6:6\n");
	/* The router did not get the answer and sends it again. */
	inform_through(f, rx, tx, &to, len, T0 + 3000);
	expect_response(tx, &to, len);
	assert_string_equal(output(f), "");
	/* Only one answer each. */
	assert_int_equal(testnet_recv(tx, probe, sizeof(probe), 0, NULL), -1);
	ps = pipeline_stats(f->p);
	assert_int_equal(ps->decoded, 2);
	assert_int_equal(ps->inform.informs, 2);
	assert_int_equal(ps->inform.inform_repeats, 1);
	assert_int_equal(ps->inform.responses, 2);
	assert_int_equal(ps->inform.response_errors, 0);
	assert_int_equal(ps->inform.informs_limited, 0);
	assert_int_equal(ps->events, 2);
	assert_int_equal(ps->emitted, 2);
	close(tx);
	receive_close(rx);
}

/* n messages "@in TCP from 10.9.<tag>.<i>:1 to 10.8.0.1:2" into
 * strings (each of room bytes); returns the lines they make. */
static const char *
messages(char (*strings)[64], const char **ptrs, size_t n, int tag)
{
	static char lines[64 * 64];
	char *o = lines;

	for (size_t i = 0; i < n; i++) {
		snprintf(strings[i], 64, "@in TCP from 10.9.%d.%zu:1 to "
		    "10.8.0.1:2", tag, i);
		ptrs[i] = strings[i];
		o += sprintf(o, "10.9.%d.%zu:1>10.8.0.1:2\n", tag, i);
	}
	return lines;
}

/*
 * --rate-limit=5 (access.h): a trap's events are charged one each, a
 * forwarded string by its size (unparsed_cost()), an inform whole.  An
 * inform of more messages than a second's budget passes when the budget
 * is fresh, is then refused while its debt lasts, and passes later; a
 * refused inform is not remembered, so its retransmission is new.
 */
static void
rate_limit_charges_what_is_written(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in r = testnet_v4("192.0.2.1", 161);
	static unsigned char first[sizeof(dgbuf)];
	char str[16][64], text[201], err[256], expect[64 * 64];
	const char *s[16], *lines, *forward[3];
	const struct pipeline_stats *ps;
	const struct access_stats *as;
	size_t big, small;

	f->access = access_new(&none, &none, 5, err, sizeof(err));
	assert_non_null(f->access);
	f->pc.unparsed_raw = 1;
	start(f);
	ps = pipeline_stats(f->p);
	as = access_stats(f->access);
	/* 8 events in one second: 5 written. */
	messages(str, s, 8, 0);
	trap(f, 2, "public", s, 8, &r, T0);
	assert_string_equal(output(f), "10.9.0.0:1>10.8.0.1:2\n"
	    "10.9.0.1:1>10.8.0.1:2\n10.9.0.2:1>10.8.0.1:2\n"
	    "10.9.0.3:1>10.8.0.1:2\n10.9.0.4:1>10.8.0.1:2\n");
	assert_int_equal(as->rate_limited, 3);
	/* The next second: 200 bytes of text cost 4, an event 1, and then
	 * the budget is used up for a short string too. */
	memset(text, 'x', 200);
	text[200] = '\0';
	forward[0] = text;
	forward[1] = "@in TCP from 1.1.1.1:1 to 2.2.2.2:2";
	forward[2] = "short";
	trap(f, 2, "public", forward, 3, &r, T0 + 1000);
	snprintf(expect, sizeof(expect), "raw 192.0.2.1: %s\n"
	    "1.1.1.1:1>2.2.2.2:2\n", text);
	assert_string_equal(output(f), expect);
	assert_int_equal(as->forward_limited, 1);
	assert_int_equal(as->rate_limited, 3);
	/* A fresh second: an inform of 12 passes whole (answered: its
	 * answer fails on reply handle -1, and is counted). */
	lines = messages(str, s, 12, 1);
	big = build(2, 1, 1, "public", s, 12);
	memcpy(first, dgbuf, big);
	datagram(f, first, big, &r, T0 + 2000, -1);
	assert_string_equal(output(f), lines);
	assert_int_equal(ps->inform.informs, 1);
	assert_int_equal(ps->inform.response_errors, 1);
	/* Its debt: 7 over at the next second, 2 the one after. */
	trap(f, 1, "public", forward + 1, 1, &r, T0 + 2999);
	lines = messages(str, s, 3, 2);
	small = build(2, 1, 2, "public", s, 3);
	datagram(f, dgbuf, small, &r, T0 + 3000, -1);
	assert_string_equal(output(f), "");
	assert_int_equal(ps->inform.informs_limited, 1);
	assert_int_equal(as->rate_limited, 3 + 1 + 3);
	/* Paid down to 2: the refused inform's retransmission is new, is
	 * written, and uses the rest of the second... */
	datagram(f, dgbuf, small, &r, T0 + 4000, -1);
	assert_string_equal(output(f), lines);
	assert_int_equal(ps->inform.informs, 2);
	assert_int_equal(ps->inform.inform_repeats, 0);
	/* ...so a retransmission of the first, which costs 1, waits. */
	datagram(f, first, big, &r, T0 + 4500, -1);
	assert_int_equal(ps->inform.informs_limited, 2);
	assert_int_equal(as->rate_limited, 7);
	/* A second later it is answered, as a repeat: nothing written. */
	datagram(f, first, big, &r, T0 + 5000, -1);
	assert_int_equal(ps->inform.inform_repeats, 1);
	trap(f, 1, "public", forward + 1, 1, &r, T0 + 5000);
	assert_string_equal(output(f), "1.1.1.1:1>2.2.2.2:2\n");
	assert_int_equal(ps->events, 8 + 1 + 12 + 1 + 3 + 3 + 1);
	assert_int_equal(ps->emitted, 5 + 1 + 12 + 3 + 1);
	assert_int_equal(ps->inform.informs, 3);
	assert_int_equal(ps->inform.informs_limited, 2);
	assert_int_equal(ps->decoded, 9);
	assert_int_equal(ps->forwarded, 1);
}

/* allow_from before decoding (a malformed datagram from outside is a
 * rejected sender), the community after it. */
static void
senders_and_communities(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in in = testnet_v4("192.0.2.1", 161);
	struct sockaddr_in out = testnet_v4("203.0.113.9", 161);
	struct string_list allow = { { "192.0.2.0/24" }, 1 };
	struct string_list community = { { "sesame" }, 1 };
	const char *s[] = { "@in TCP from 1.1.1.1:1 to 2.2.2.2:2" };
	static const unsigned char junk[] = { 0x30, 0x03, 0x02, 0x01 };
	const struct pipeline_stats *ps;
	const struct access_stats *as;
	char err[256];

	f->access = access_new(&allow, &community, 0, err, sizeof(err));
	assert_non_null(f->access);
	start(f);
	trap(f, 2, "sesame", s, 1, &out, T0);
	datagram(f, junk, sizeof(junk), &out, T0, -1);
	trap(f, 2, "public", s, 1, &in, T0);
	trap(f, 1, "sesame", s, 1, &in, T0);
	assert_string_equal(output(f), "1.1.1.1:1>2.2.2.2:2\n");
	ps = pipeline_stats(f->p);
	as = access_stats(f->access);
	assert_int_equal(as->rejected_sender, 2);
	assert_int_equal(as->rejected_community, 1);
	assert_int_equal(ps->malformed, 0);
	assert_int_equal(ps->decoded, 1);
	assert_int_equal(ps->events, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(events_come_out_in_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(rules_and_filters, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(names_hold_back_in_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(unusable_datagrams_write_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(forwarded_strings_in_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(unforwarded_strings_are_counted,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(informs_answered_and_written_once,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    rate_limit_charges_what_is_written, setup, teardown),
		cmocka_unit_test_setup_teardown(senders_and_communities, setup,
		    teardown),
	};

	decode_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
