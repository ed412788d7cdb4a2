/*
 * fuzz_datagram - one datagram through decode, parse, the scan and repeat
 * stages (with thresholds of 2, so that any two messages make a scan, and
 * small tables, so that they fill), filter and render, with a template
 * that uses every token and as JSON, to a sink on /dev/null, under a rate
 * limit; every text line and every JSON object is checked, those of scan
 * and repeat events too.  The clock moves on with each input, so windows
 * close and summaries fall due; the accounting identity holds after each.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "decode.h"
#include "inside.h"
#include "fuzz_common.h"
#include "fuzz_jsoncheck.h"
#include "json.h"
#include "parse.h"
#include "pipeline.h"
#include "render.h"
#include "services.h"

static struct pipeline *pipeline;
static struct access *access_checker;
static struct template *tpl;
static const struct json_format json = { 1, 1 };

static void
setup(void)
{
	static struct rule rules[2];
	static struct filter *global;
	static const struct string_list none;
	struct pipeline_config pc;
	struct sink *null;
	char err[256];

	decode_init();
	services_load();
	tpl = render_compile(FUZZ_TEMPLATE, err, sizeof(err));
	null = sink_fd("null", open("/dev/null", O_WRONLY), 1);
	global = filter_new();
	filter_add(global, FILTER_IP_SOURCE, "!10.9.*", err, sizeof(err));
	rules[0].filter = filter_new();
	filter_add(rules[0].filter, FILTER_PORT_DEST, "22", err, sizeof(err));
	rules[0].final = 1;
	rules[0].outputs[0] = (struct output){ null, tpl, 0, NULL,
	    { tpl, tpl }, { 0 } };
	rules[0].noutputs = 1;
	rules[1].filter = filter_new();
	rules[1].outputs[0] = (struct output){ null, tpl, 0, NULL,
	    { tpl, tpl }, { 0 } };
	rules[1].outputs[1] = (struct output){ null, NULL, 0, &json };
	rules[1].noutputs = 2;
	memset(&pc, 0, sizeof(pc));
	pc.out.filter = global;
	pc.out.rules = rules;
	pc.out.nrules = 2;
	pc.unparsed_raw = 1;
	pc.out.names_source = pc.out.names_dest = 1;
	/* A rate limit, so that informs take the whole-or-nothing path
	 * (the clock stands still: past the limit, every one is refused). */
	pc.access = access_new(&none, &none, 100000, err, sizeof(err));
	access_checker = pc.access;
	pc.scan = (struct scan_config){ .enabled = 1, .window = 5, .quiet = 2,
	    .report = 10, .ports = 2, .hosts = 2, .max_sources = 64,
	    .max_scanners = 8, .action = SCAN_SUMMARIZE,
	    .action_out = SCAN_ANNOTATE,
	    .inside = inside_new(&none, err, sizeof(err)) };
	pc.repeat = (struct repeat_config){ 3, 64 };
	pipeline = pipeline_new(&pc);
}

static void
check_event(const struct event *ev)
{
	static char line[RENDER_LINE_MAX];
	static struct event made;
	struct render_names n = { ev->src.has_name ? ev->src.name : NULL,
	    ev->dst.has_name ? ev->dst.name : NULL, NULL };

	fuzz_check_line(line, render_event(tpl, ev, &n, 0, line, sizeof(line)));
	fuzz_json_check_line(line, json_render_event(&json, ev, &n, line,
	    sizeof(line)), 1);
	/* The same as a made event, its figures from the message's bytes:
	 * any count, sample, time and flag. */
	made = *ev;
	memcpy(&made.sum, ev->original, sizeof(made.sum) <
	    sizeof(ev->original) ? sizeof(made.sum) : sizeof(ev->original));
	made.sum.nsample %= EVENT_SAMPLE_MAX + 1;
	made.kind = EVENT_SCAN_START + (unsigned char)ev->original[0] % 3;
	made.scan_mark = (uint8_t)(ev->original[1] & 1);
	fuzz_check_line(line, render_event(tpl, &made, &n, 0, line,
	    sizeof(line)));
	fuzz_json_check_line(line, json_render_event(&json, &made, &n, line,
	    sizeof(line)), 1);
}

static void
check_string(struct event *ev, const char *text, size_t len)
{
	static char line[RENDER_LINE_MAX];
	size_t off = 0, n, found = 0;

	do {
		found += n = parse_events(text, len, &off, ev, 1);
		if (n > 0)
			check_event(ev);
	} while (n > 0);
	if (found > 0)
		return;
	fuzz_check_line(line, render_raw(ev->time, &ev->router, text, len,
	    line, sizeof(line)));
	fuzz_json_check_line(line, json_render_raw(&json, ev->time, ev->usec,
	    &ev->router, text, len, line, sizeof(line)), 1);
}

/* The Response to an inform: always built, never longer than the inform
 * (no amplification), and read back as one. */
static void
check_response(const struct trap *inform, size_t size)
{
	static unsigned char resp[RECEIVE_DATAGRAM_MAX + 64];
	struct trap t;
	size_t n = decode_inform_response(inform, resp, sizeof(resp)), ns;
	struct span sp[1];

	if (n == 0 || n > size)
		abort();
	if (decode_trap(resp, n, &t, sp, 1, &ns) != DECODE_UNSUPPORTED ||
	    t.version != 2 || t.pdu != 0xa2 ||
	    t.community_len != inform->community_len ||
	    memcmp(t.community, inform->community, t.community_len) != 0)
		abort();
}

/* The accounting identities of linklog(8) STATISTICS: every datagram
 * (no sender or community is rejected here) in one datagram counter,
 * every event in one of emitted, filtered, rate_limited and folded by
 * the scan or repeat stage, every string without a message (all
 * forwarded) in forwarded or forward_limited, every inform answered in
 * responses or response_errors. */
static uint64_t datagrams, traps;

static void
check_accounting(void)
{
	const struct pipeline_stats *ps = pipeline_stats(pipeline);
	const struct access_stats *as = access_stats(access_checker);

	if (datagrams != as->rejected_sender + ps->malformed +
	    ps->unsupported + as->rejected_community + ps->decoded)
		abort();
	if (ps->decoded != traps + ps->inform.informs +
	    ps->inform.informs_limited)
		abort();
	if (ps->events != ps->emitted + ps->filtered + as->rate_limited +
	    ps->scan.suppressed + ps->repeat.suppressed)
		abort();
	if (ps->strings.unparsed + ps->strings.binary_strings !=
	    ps->forwarded + as->forward_limited)
		abort();
	if (ps->inform.informs != ps->inform.responses +
	    ps->inform.response_errors)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct span spans[DECODE_MAX_STRINGS];
	struct sockaddr_in from;
	struct event ev;
	struct trap trap;
	struct datagram dg;
	size_t n;
	static uint64_t now;

	if (pipeline == NULL)
		setup();
	memset(&from, 0, sizeof(from));
	from.sin_family = AF_INET;
	from.sin_addr.s_addr = htonl(0xc0a80101);
	memset(&dg, 0, sizeof(dg));
	dg.buf = data;
	dg.len = size;
	dg.from = (struct sockaddr *)&from;
	dg.fromlen = sizeof(from);
	now += 700;
	dg.when = (struct timeval){ 1700000000 + (time_t)(now / 1000), 123456 };
	dg.reply.fd = -1;       /* an inform's answer fails, and is counted */
	pipeline_datagram(pipeline, &dg, now);
	pipeline_release(pipeline, now, 0);
	/* Now and then a stop or reload: every summary written. */
	pipeline_release(pipeline, now, size % 7 == 0);
	pipeline_flush(pipeline);
	datagrams++;
	/* And the same path by hand, checking every line it renders. */
	memset(&ev, 0, sizeof(ev));
	memcpy(&ev.router.addr, &from, sizeof(from));
	ev.time = 1700000000;
	if (decode_trap(data, size, &trap, spans, DECODE_MAX_STRINGS, &n) !=
	    DECODE_OK) {
		check_accounting();
		return 0;
	}
	traps += !trap.inform;
	check_accounting();
	for (size_t i = 0; i < n; i++)
		check_string(&ev, spans[i].text, spans[i].len);
	if (trap.inform)
		check_response(&trap, size);
	return 0;
}
