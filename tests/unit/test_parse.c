/* Unit tests for the Linksys message grammar (src/parse.c), and the rule
 * for names that pose as addresses (addr_like_name(), src/addr.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "parse.h"

static size_t
parse(const char *s, struct event *ev)
{
	memset(ev, 0, sizeof(*ev));
	return parse_message(s, strlen(s), ev);
}

static void
assert_addr(struct in_addr a, const char *text)
{
	char buf[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	assert_string_equal(buf, text);
}

static void
plain_inbound(void **state)
{
	struct event ev;
	const char *m = "@in TCP from 203.0.113.7:51234 to 192.168.1.20:22";

	(void)state;
	assert_int_equal(parse(m, &ev), strlen(m));
	assert_int_equal(ev.dir, DIR_IN);
	assert_int_equal(ev.proto, PROTO_TCP);
	assert_addr(ev.src.addr, "203.0.113.7");
	assert_int_equal(ev.src.port, 51234);
	assert_false(ev.src.has_name);
	assert_addr(ev.dst.addr, "192.168.1.20");
	assert_int_equal(ev.dst.port, 22);
}

static void
outbound_udp(void **state)
{
	struct event ev;

	(void)state;
	assert_true(parse("@out UDP from 192.168.1.20:40000 to 8.8.8.8:53", &ev));
	assert_int_equal(ev.dir, DIR_OUT);
	assert_int_equal(ev.proto, PROTO_UDP);
	assert_int_equal(ev.dst.port, 53);
}

static void
named_endpoints(void **state)
{
	struct event ev;

	(void)state;
	assert_true(parse("@in TCP from scanner.example.net(203.0.113.7):51234 "
	    "to 192.168.1.20:22", &ev));
	assert_true(ev.src.has_name);
	assert_string_equal(ev.src.name, "scanner.example.net");
	assert_addr(ev.src.addr, "203.0.113.7");
	assert_false(ev.dst.has_name);
	assert_true(parse("@out TCP from 192.168.1.20:40001 to "
	    "www.example.com(93.184.216.34):443", &ev));
	assert_string_equal(ev.dst.name, "www.example.com");
	assert_int_equal(ev.dst.port, 443);
	assert_true(parse("@in TCP from a_b-c.d(1.2.3.4):1 to 5.6.7.8:2", &ev));
	assert_string_equal(ev.src.name, "a_b-c.d");
}

static void
limits(void **state)
{
	struct event ev;

	(void)state;
	assert_true(parse("@in TCP from 255.255.255.255:65535 to 0.0.0.0:0", &ev));
	assert_int_equal(ev.src.port, 65535);
	/* The original's defect 9: octets to 999 and ports to 999999. */
	assert_false(parse("@in TCP from 256.1.1.1:1 to 1.1.1.1:1", &ev));
	assert_false(parse("@in TCP from 1.1.1.999:1 to 1.1.1.1:1", &ev));
	assert_false(parse("@in TCP from 1.1.1.1:65536 to 1.1.1.1:1", &ev));
	assert_false(parse("@in TCP from 1.1.1.1:1 to 1.1.1.1:999999", &ev));
	assert_false(parse("@in TCP from 1.1.1.1:1 to 1.1.1.1:000001", &ev));
	assert_false(parse("@in TCP from 1.1.1.1111:1 to 1.1.1.1:1", &ev));
}

static void
invalid(void **state)
{
	static const char *bad[] = {
		"", "@", "@in", "@up TCP from 1.1.1.1:1 to 1.1.1.1:1",
		"@in ICMP from 1.1.1.1:1 to 1.1.1.1:1",
		"@in TCP from 1.1.1:1 to 1.1.1.1:1",
		"@in TCP from 1.1.1.1 to 1.1.1.1:1",
		"@in TCP from 1.1.1.1: to 1.1.1.1:1",
		"@in TCP from 1.1.1.1:1 to 1.1.1.1:",
		"@in TCP from 1.1.1.1:1 to 1.1.1.1:80x",
		"@in TCP from name(1.1.1.1:1 to 1.1.1.1:1",
		"@in TCP from (1.1.1.1):1 to 1.1.1.1:1",
		"@in TCP from na(me(1.1.1.1):1 to 1.1.1.1:1",
		"@in TCP from na)me(1.1.1.1):1 to 1.1.1.1:1",
		"@in TCP from na\tme(1.1.1.1):1 to 1.1.1.1:1",
		"@in TCP from na\x7fme(1.1.1.1):1 to 1.1.1.1:1",
		"@in TCP from na\xc3\xa9me(1.1.1.1):1 to 1.1.1.1:1",
		"@in TCP from  name(1.1.1.1):1 to 1.1.1.1:1",
		"@in TCP from name (1.1.1.1):1 to 1.1.1.1:1",
		"@in TCP from 1.1.1.1:1 to 2.2.2.2:2.5",
		"@in  TCP from 1.1.1.1:1 to 1.1.1.1:1",
		"in TCP from 1.1.1.1:1 to 1.1.1.1:1",
	};
	struct event ev;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &ev) != 0)
			fail_msg("accepted: %s", bad[i]);
	}
}

static void
long_name(void **state)
{
	char m[600], name[300];
	struct event ev;

	(void)state;
	memset(name, 'a', 253);
	name[253] = '\0';
	snprintf(m, sizeof(m), "@in TCP from %s(1.2.3.4):1 to 1.1.1.1:1", name);
	assert_true(parse(m, &ev));
	assert_int_equal(strlen(ev.src.name), 253);
	name[253] = 'a';
	name[254] = '\0';
	snprintf(m, sizeof(m), "@in TCP from %s(1.2.3.4):1 to 1.1.1.1:1", name);
	assert_false(parse(m, &ev));
}

static void
case_of_keywords(void **state)
{
	struct event ev;

	(void)state;
	assert_true(parse("@IN tcp from 1.1.1.1:1 to 1.1.1.1:1", &ev));
	assert_int_equal(ev.proto, PROTO_TCP);
}

/* DHCP client names: any printable ASCII but the parentheses. */
static void
names_with_spaces(void **state)
{
	struct event ev;

	(void)state;
	assert_true(parse("@in TCP from name(1.1.1.1):1 to John PC(2.2.2.2):3",
	    &ev));
	assert_string_equal(ev.src.name, "name");
	assert_string_equal(ev.dst.name, "John PC");
	assert_int_equal(ev.dst.port, 3);
	assert_true(parse("@out TCP from Mary's iPad #2(192.168.1.5):40000 to "
	    "8.8.8.8:53", &ev));
	assert_string_equal(ev.src.name, "Mary's iPad #2");
	assert_false(ev.dst.has_name);
	assert_true(parse("@in TCP from na%me:x(1.1.1.1):1 to 1.1.1.1:1", &ev));
	assert_string_equal(ev.src.name, "na%me:x");
	/* A name that reads like an endpoint ends at its "(" all the same. */
	assert_true(parse("@in TCP from 1.1.1.1:1 to x(2.2.2.2):2 to "
	    "3.3.3.3:3", &ev));
	assert_false(ev.src.has_name);
	assert_string_equal(ev.dst.name, "x");
	assert_int_equal(ev.dst.port, 2);
	assert_true(parse("@in TCP from a to b(1.1.1.1):1 to 2.2.2.2:2", &ev));
	assert_string_equal(ev.src.name, "a to b");
}

/* Older firmware: "@out LAN LANport remote remoteport", no protocol. */
static void
spaces_form(void **state)
{
	struct event ev;
	const char *m = "@out 192.168.0.2 8080 24.159.204.248 10325";

	(void)state;
	assert_int_equal(parse(m, &ev), strlen(m));
	assert_int_equal(ev.dir, DIR_OUT);
	assert_int_equal(ev.proto, PROTO_UNKNOWN);
	assert_addr(ev.src.addr, "192.168.0.2");
	assert_false(ev.src.port_unknown);
	assert_int_equal(ev.src.port, 8080);
	assert_addr(ev.dst.addr, "24.159.204.248");
	assert_false(ev.dst.port_unknown);
	assert_int_equal(ev.dst.port, 10325);
	assert_false(ev.src.has_name || ev.dst.has_name);
	/* "@in": the remote end first, as in "from ... to". */
	assert_true(parse("@in 203.0.113.7 51234 192.168.0.2 80", &ev));
	assert_int_equal(ev.dir, DIR_IN);
	assert_addr(ev.src.addr, "203.0.113.7");
	assert_int_equal(ev.src.port, 51234);
	assert_addr(ev.dst.addr, "192.168.0.2");
	assert_int_equal(ev.dst.port, 80);
	assert_true(parse("@OUT 255.255.255.255 65535 0.0.0.0 0", &ev));
	assert_int_equal(ev.src.port, 65535);
}

/* Older firmware: "@out LAN ==> remote[port].", no protocol or source port. */
static void
arrow_form(void **state)
{
	struct event ev;
	const char *m = "@out 192.168.1.200 ==> 24.254.60.13[110].";

	(void)state;
	memset(&ev, 0xff, sizeof(ev));  /* every field must be set */
	assert_int_equal(parse_message(m, strlen(m), &ev), strlen(m));
	assert_int_equal(ev.dir, DIR_OUT);
	assert_int_equal(ev.proto, PROTO_UNKNOWN);
	assert_addr(ev.src.addr, "192.168.1.200");
	assert_true(ev.src.port_unknown);
	assert_int_equal(ev.src.port, 0);
	assert_false(ev.src.has_name);
	assert_addr(ev.dst.addr, "24.254.60.13");
	assert_false(ev.dst.port_unknown);
	assert_int_equal(ev.dst.port, 110);
	assert_false(ev.dst.has_name);
	/* The period is the form's own; without it the message still ends. */
	assert_int_equal(parse("@in 1.2.3.4 ==> 5.6.7.8[22]", &ev), 27);
	assert_int_equal(ev.dir, DIR_IN);
}

/* What follows a message: the terminators firmwares send, or more text. */
static void
terminators(void **state)
{
	static const char *forms[] = {
		"@in TCP from 1.1.1.1:1 to 2.2.2.2:2",
		"@out 1.1.1.1 1 2.2.2.2 2",
		"@out 1.1.1.1 ==> 2.2.2.2[2].",
	};
	static const char *ends[] = { "", "\0", "\r", "\n", "\r\n", ".",
	    " ", "@" };
	static const size_t endlen[] = { 0, 1, 1, 1, 2, 1, 1, 1 };
	char buf[128];
	struct event ev;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < sizeof(ends) / sizeof(ends[0]); j++) {
			size_t n = strlen(forms[i]);
			memcpy(buf, forms[i], n);
			memcpy(buf + n, ends[j], endlen[j]);
			memset(&ev, 0, sizeof(ev));
			if (parse_message(buf, n + endlen[j], &ev) == 0)
				fail_msg("%s + end %zu rejected", forms[i], j);
			assert_int_equal(ev.dst.port, 2);
		}
	}
}

/* The older forms' malformed neighbours. */
static void
older_forms_invalid(void **state)
{
	static const char *bad[] = {
		"@out 192.168.0.2 8080 24.159.204.248",
		"@out 192.168.0.2 8080 24.159.204.248 ",
		"@out 192.168.0.2 8080 24.159.204.248 10325x",
		"@out 192.168.0.2 8080 24.159.204.248 10325.1",
		"@out 192.168.0.2 8080 24.159.204.248 65536",
		"@out 192.168.0.2 8080 24.159.204.248 000001",
		"@out 192.168.0.256 8080 24.159.204.248 10325",
		"@out 192.168.0.2 8080 24.159.204 10325",
		"@out 192.168.0.2  8080 24.159.204.248 10325",
		"@out 192.168.0.2 8080 24.159.204.248  10325",
		"@out 192.168.0.2:8080 24.159.204.248 10325",
		"@out 192.168.0.2 80a 24.159.204.248 10325",
		"@out name 8080 24.159.204.248 10325",
		"@out 192.168.1.200 ==> 24.254.60.13[110",
		"@out 192.168.1.200 ==> 24.254.60.13[]",
		"@out 192.168.1.200 ==> 24.254.60.13[65536].",
		"@out 192.168.1.200 ==> 24.254.60.13[110]x",
		"@out 192.168.1.200 ==> 24.254.60.13[110].5",
		"@out 192.168.1.200 ==> 24.254.60.13 [110].",
		"@out 192.168.1.200 => 24.254.60.13[110].",
		"@out 192.168.1.200==>24.254.60.13[110].",
		"@out 192.168.1.200 ==> 24.254.60.999[110].",
		"@out 192.168.1.200:5 ==> 24.254.60.13[110].",
		"@out 192.168.1.200 ==> 24.254.60.13:110",
		"@out  192.168.1.200 ==> 24.254.60.13[110].",
		"@sideways 1.1.1.1 1 2.2.2.2 2",
	};
	struct event ev;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &ev) != 0)
			fail_msg("accepted: %s", bad[i]);
	}
}

static void
message_start(void **state)
{
	(void)state;
	assert_true(parse_is_message_start("@in x", 5));
	assert_true(parse_is_message_start("@OUT x", 6));
	assert_false(parse_is_message_start("@in", 3));
	assert_false(parse_is_message_start("@inx", 4));
	assert_false(parse_is_message_start(" @in x", 6));
	assert_false(parse_is_message_start("System restart", 14));
}

static int found;
static uint16_t ports[16];

static void
collect(void *arg, struct event *ev)
{
	(void)arg;
	if (found < 16)
		ports[found] = ev->src.port;
	found++;
}

/* Every message of text, two at a time (so that resuming is tested),
 * through collect(); returns how many. */
static size_t
parse_all(const char *text, size_t len)
{
	struct event evs[2];
	size_t off = 0, n, total = 0;

	memset(evs, 0, sizeof(evs));
	do {
		n = parse_events(text, len, &off, evs, 2);
		for (size_t i = 0; i < n; i++)
			collect(NULL, &evs[i]);
		total += n;
	} while (n == 2);
	assert_int_equal(off, len);
	assert_int_equal(parse_count(text, len), total);
	return total;
}

static void
several_in_one_string(void **state)
{
	const char *s = "junk @in TCP from 1.1.1.1:1 to 2.2.2.2:2\n"
	    "@bad @out UDP from 3.3.3.3:3 to 4.4.4.4:4@in TCP from "
	    "5.5.5.5:5 to 6.6.6.6:6 trailing";
	struct event ev;

	(void)state;
	found = 0;
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(parse_all(s, strlen(s)), 3);
	assert_int_equal(found, 3);
	assert_int_equal(ports[0], 1);
	assert_int_equal(ports[1], 3);
	assert_int_equal(ports[2], 5);
	found = 0;
	assert_int_equal(parse_all("no message", 10), 0);
}

static void
not_nul_terminated(void **state)
{
	char buf[64];
	struct event ev;
	const char *m = "@in TCP from 1.1.1.1:1 to 2.2.2.2:22";

	(void)state;
	memset(buf, '7', sizeof(buf));
	memcpy(buf, m, strlen(m));
	/* The byte after the string is a digit: the length must bound it. */
	assert_int_equal(parse_message(buf, strlen(m), &ev), strlen(m));
	assert_int_equal(ev.dst.port, 22);
	assert_int_equal(parse_message(buf, strlen(m) - 1, &ev), strlen(m) - 1);
	assert_int_equal(ev.dst.port, 2);
}

static void
ten_thousand_in_one_string(void **state)
{
	/* More than a UDP datagram can hold: the parser has no limit. */
	static char s[10000 * 48];
	struct event ev;
	size_t len = 0;

	(void)state;
	for (int i = 0; i < 10000; i++)
		len += (size_t)snprintf(s + len, sizeof(s) - len,
		    "@in TCP from 10.1.%d.%d:%d to 1.1.1.1:2 ", i >> 8, i & 255,
		    i % 60000 + 1);
	found = 0;
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(parse_all(s, len), 10000);
	assert_int_equal(found, 10000);
}

static void
names_like_addresses(void **state)
{
	static const char *forged[] = {
		"10.0.0.1", "12345", "0x7f000001", "10.1", "017700000001",
		"host.123", "a.b.0", "10.0.0.1.", "0x7f", "1.2.3.4.5",
		/* An address at the start, which the rest leaves one. */
		"10.0.0.1:80", "[10.0.0.1]", "10.0.0.1/32", "10.0.0.1..",
		"10.0.0.1-a", "10.0.0.1 x", "::1%lo", "[::1]:80",
		"fe80::1/64", "(10.0.0.1)",
	};
	static const char *names[] = {
		"host", "nas.lan", "3com.example", "a1.b2", "x-1.y_2.z9a",
		"0x7g", "host.123a", "123.example",
		"1.2.3.4.static.example", "10.0.0.1x", "cafe", "dead.beef.example",
		"face-1.lan", "add", "be:ef", "a.b.c.d",
	};
	struct event ev;

	(void)state;
	for (size_t i = 0; i < sizeof(forged) / sizeof(*forged); i++)
		assert_true(addr_like_name(forged[i]));
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		assert_false(addr_like_name(names[i]));
	/* In a message: the address is kept, the name is not. */
	assert_true(parse("@in TCP from 10.0.0.1(203.0.113.7):1 to "
	    "nas(192.168.1.20):22", &ev) > 0);
	assert_false(ev.src.has_name);
	assert_addr(ev.src.addr, "203.0.113.7");
	assert_true(ev.dst.has_name);
	assert_string_equal(ev.dst.name, "nas");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_inbound),
		cmocka_unit_test(outbound_udp),
		cmocka_unit_test(named_endpoints),
		cmocka_unit_test(limits),
		cmocka_unit_test(invalid),
		cmocka_unit_test(long_name),
		cmocka_unit_test(names_with_spaces),
		cmocka_unit_test(spaces_form),
		cmocka_unit_test(arrow_form),
		cmocka_unit_test(terminators),
		cmocka_unit_test(older_forms_invalid),
		cmocka_unit_test(message_start),
		cmocka_unit_test(case_of_keywords),
		cmocka_unit_test(several_in_one_string),
		cmocka_unit_test(not_nul_terminated),
		cmocka_unit_test(ten_thousand_in_one_string),
		cmocka_unit_test(names_like_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
