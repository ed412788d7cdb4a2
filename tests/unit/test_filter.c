/* Unit tests for the --filter-* semantics (src/filter.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <string.h>

#include "filter.h"

static struct event
event(enum direction dir, enum protocol proto, const char *src,
    const char *dst)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.dir = dir;
	ev.proto = proto;
	inet_pton(AF_INET, src, &ev.src.addr);
	inet_pton(AF_INET, dst, &ev.dst.addr);
	return ev;
}

static struct filter *
make(enum filter_field field, const char *const *patterns)
{
	struct filter *f = filter_new();
	char err[128];

	for (; *patterns; patterns++)
		assert_int_equal(filter_add(f, field, *patterns, err,
		    sizeof(err)), 0);
	return f;
}

static void
wildcards(void **state)
{
	(void)state;
	assert_true(filter_wildcard("*.example.com", "www.example.com", 1));
	assert_false(filter_wildcard("*.example.com", "example.com", 1));
	assert_false(filter_wildcard("*.example.com", "www.example.com.evil", 1));
	assert_true(filter_wildcard("192.168.*", "192.168.1.20", 0));
	assert_false(filter_wildcard("192.168.*", "10.192.168.1", 0));
	assert_true(filter_wildcard("10.*.1", "10.0.0.1", 0));
	assert_false(filter_wildcard("10.*.1", "10.0.0.10", 0));
	assert_true(filter_wildcard("*", "", 0));
	assert_true(filter_wildcard("a*b*c", "aXbYbZc", 0));
	assert_false(filter_wildcard("a*b*c", "aXbYbZ", 0));
	assert_true(filter_wildcard("WWW.Example.COM", "www.example.com", 1));
	assert_false(filter_wildcard("WWW.Example.COM", "www.example.com", 0));
	assert_true(filter_wildcard("**a**", "bab", 0));
	assert_false(filter_wildcard("1.2.3.4", "1.2.3.45", 0));
}

static void
direction_and_protocol(void **state)
{
	struct event in = event(DIR_IN, PROTO_TCP, "1.1.1.1", "2.2.2.2");
	struct event out = event(DIR_OUT, PROTO_UDP, "1.1.1.1", "2.2.2.2");
	struct filter *f;
	char err[128];

	(void)state;
	f = make(FILTER_DIRECTION, (const char *[]){ "IN", NULL });
	assert_true(filter_match_addresses(f, &in));
	assert_false(filter_match_addresses(f, &out));
	filter_free(f);
	f = make(FILTER_PROTOCOL, (const char *[]){ "udp", NULL });
	assert_false(filter_match_addresses(f, &in));
	assert_true(filter_match_addresses(f, &out));
	filter_free(f);
	f = filter_new();
	assert_int_equal(filter_add(f, FILTER_DIRECTION, "sideways", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "sideways"));
	assert_int_equal(filter_add(f, FILTER_PROTOCOL, "ICMP", err,
	    sizeof(err)), -1);
	assert_int_equal(filter_add(f, FILTER_IP, "", err, sizeof(err)), -1);
	assert_int_equal(filter_add(f, FILTER_IP, "!", err, sizeof(err)), -1);
	filter_free(f);
}

static void
addresses(void **state)
{
	struct event a = event(DIR_IN, PROTO_TCP, "203.0.113.7", "192.168.1.20");
	struct event b = event(DIR_OUT, PROTO_TCP, "192.168.1.30", "8.8.8.8");
	struct filter *f;

	(void)state;
	/* Either end for --filter-ip. */
	f = make(FILTER_IP, (const char *[]){ "192.168.1.20", NULL });
	assert_true(filter_match_addresses(f, &a));
	assert_false(filter_match_addresses(f, &b));
	filter_free(f);
	f = make(FILTER_IP_SOURCE, (const char *[]){ "192.168.*", NULL });
	assert_false(filter_match_addresses(f, &a));
	assert_true(filter_match_addresses(f, &b));
	filter_free(f);
	f = make(FILTER_IP_DEST, (const char *[]){ "192.168.*", NULL });
	assert_true(filter_match_addresses(f, &a));
	assert_false(filter_match_addresses(f, &b));
	filter_free(f);
	/* Several patterns: OR. */
	f = make(FILTER_IP_DEST, (const char *[]){ "8.8.8.8", "192.*", NULL });
	assert_true(filter_match_addresses(f, &a));
	assert_true(filter_match_addresses(f, &b));
	filter_free(f);
	/* Exclusion alone keeps everything else. */
	f = make(FILTER_IP, (const char *[]){ "!8.8.*", NULL });
	assert_true(filter_match_addresses(f, &a));
	assert_false(filter_match_addresses(f, &b));
	filter_free(f);
	/* Inclusion and exclusion: included and not excluded. */
	f = make(FILTER_IP_SOURCE, (const char *[]){ "192.168.1.*",
	    "!192.168.1.30", NULL });
	assert_false(filter_match_addresses(f, &b));
	filter_free(f);
}

static void
different_options_and(void **state)
{
	struct event a = event(DIR_IN, PROTO_TCP, "203.0.113.7", "192.168.1.20");
	struct filter *f = filter_new();
	char err[128];

	(void)state;
	assert_int_equal(filter_add(f, FILTER_DIRECTION, "in", err, 128), 0);
	assert_int_equal(filter_add(f, FILTER_PROTOCOL, "tcp", err, 128), 0);
	assert_true(filter_match_addresses(f, &a));
	assert_int_equal(filter_add(f, FILTER_IP_SOURCE, "10.*", err, 128), 0);
	assert_false(filter_match_addresses(f, &a));
	filter_free(f);
}

static void
host_names(void **state)
{
	struct filter *f;

	(void)state;
	f = make(FILTER_HOST, (const char *[]){ "*.EXAMPLE.net", NULL });
	assert_true(filter_needs_source_name(f));
	assert_true(filter_needs_dest_name(f));
	assert_true(filter_match_names(f, "scanner.example.net", NULL));
	assert_true(filter_match_names(f, NULL, "www.example.net"));
	assert_false(filter_match_names(f, "example.org", "x.example.org"));
	/* An unknown name matches no pattern. */
	assert_false(filter_match_names(f, NULL, NULL));
	filter_free(f);
	f = make(FILTER_HOST_DEST, (const char *[]){ "!*.ads.example", NULL });
	assert_false(filter_needs_source_name(f));
	assert_true(filter_needs_dest_name(f));
	assert_false(filter_match_names(f, NULL, "x.ads.example"));
	assert_true(filter_match_names(f, "x.ads.example", "good.example"));
	/* ... and so an exclusion keeps an event whose name is unknown. */
	assert_true(filter_match_names(f, NULL, NULL));
	filter_free(f);
	f = make(FILTER_HOST_SOURCE, (const char *[]){ "scanner*", NULL });
	assert_true(filter_match_names(f, "scanner.example.net", NULL));
	assert_false(filter_match_names(f, NULL, "scanner.example.net"));
	filter_free(f);
	f = filter_new();
	assert_false(filter_needs_source_name(f));
	assert_true(filter_match_names(f, NULL, NULL));
	filter_free(f);
}

/*
 * An older firmware's message carries no protocol (and the arrow form no
 * source port): the unknown value matches no pattern, as an unknown name.
 */
static void
unknown_protocol_and_port(void **state)
{
	struct event ev = event(DIR_OUT, PROTO_UNKNOWN, "192.168.1.200",
	    "24.254.60.13");
	struct filter *f;

	(void)state;
	ev.dst.port = 110;
	ev.src.port_unknown = 1;
	f = make(FILTER_PROTOCOL, (const char *[]){ "tcp", "udp", NULL });
	assert_false(filter_match_addresses(f, &ev));
	filter_free(f);
	f = make(FILTER_PROTOCOL, (const char *[]){ "!tcp", NULL });
	assert_true(filter_match_addresses(f, &ev));
	filter_free(f);
	f = make(FILTER_PORT_SOURCE, (const char *[]){ "*", NULL });
	assert_false(filter_match_addresses(f, &ev));
	filter_free(f);
	f = make(FILTER_PORT_SOURCE, (const char *[]){ "0", NULL });
	assert_false(filter_match_addresses(f, &ev));
	filter_free(f);
	f = make(FILTER_PORT_SOURCE, (const char *[]){ "!0", NULL });
	assert_true(filter_match_addresses(f, &ev));
	filter_free(f);
	/* --filter-port: either end; the known destination port matches. */
	f = make(FILTER_PORT, (const char *[]){ "110", NULL });
	assert_true(filter_match_addresses(f, &ev));
	filter_free(f);
	f = make(FILTER_PORT_DEST, (const char *[]){ "1*", NULL });
	assert_true(filter_match_addresses(f, &ev));
	filter_free(f);
	/* A known port 0 is a port like any other. */
	ev.src.port_unknown = 0;
	f = make(FILTER_PORT_SOURCE, (const char *[]){ "0", NULL });
	assert_true(filter_match_addresses(f, &ev));
	filter_free(f);
}

/* Countries (ISO codes, any case) and AS numbers ("AS" optional); no
 * country or AS matches no pattern, an exclusion keeps it. */
static void
countries_and_as(void **state)
{
	struct event gb = event(DIR_IN, PROTO_TCP, "81.2.69.1", "10.0.0.1");
	struct event none = event(DIR_IN, PROTO_TCP, "10.0.0.2", "10.0.0.1");
	struct filter *f;
	char err[128];

	(void)state;
	strcpy(gb.src.geo.iso, "GB");
	gb.src.geo.asn = 20712;
	f = make(FILTER_COUNTRY_SOURCE, (const char *[]){ "gb", NULL });
	assert_true(filter_needs_geo(f));
	assert_true(filter_match_addresses(f, &gb));
	assert_false(filter_match_addresses(f, &none));
	filter_free(f);
	f = make(FILTER_COUNTRY_DEST, (const char *[]){ "*", NULL });
	assert_false(filter_match_addresses(f, &gb));
	filter_free(f);
	f = make(FILTER_COUNTRY, (const char *[]){ "!G*", NULL });
	assert_false(filter_match_addresses(f, &gb));
	assert_true(filter_match_addresses(f, &none));
	filter_free(f);
	f = make(FILTER_ASN, (const char *[]){ "AS20712", NULL });
	assert_true(filter_match_addresses(f, &gb));
	assert_false(filter_match_addresses(f, &none));
	filter_free(f);
	f = make(FILTER_ASN_SOURCE, (const char *[]){ "207*", NULL });
	assert_true(filter_match_addresses(f, &gb));
	filter_free(f);
	f = make(FILTER_ASN_DEST, (const char *[]){ "20712", NULL });
	assert_false(filter_match_addresses(f, &gb));
	filter_free(f);
	f = filter_new();
	assert_false(filter_needs_geo(f));
	assert_int_equal(filter_add(f, FILTER_COUNTRY, "D3", err,
	    sizeof(err)), -1);
	assert_int_equal(filter_add(f, FILTER_ASN, "ASX", err,
	    sizeof(err)), -1);
	assert_int_equal(filter_add(f, FILTER_ASN, "AS", err,
	    sizeof(err)), -1);
	filter_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wildcards),
		cmocka_unit_test(direction_and_protocol),
		cmocka_unit_test(addresses),
		cmocka_unit_test(different_options_and),
		cmocka_unit_test(host_names),
		cmocka_unit_test(unknown_protocol_and_port),
		cmocka_unit_test(countries_and_as),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
