/*
 * fuzz_parse - the Linksys message parser alone, on any bytes; every event
 * it finds must render as one clean line.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "parse.h"
#include "render.h"

static struct template *tpl;

static void
check(const struct event *ev)
{
	static char line[RENDER_LINE_MAX];
	struct render_names n = { ev->src.has_name ? ev->src.name : NULL,
	    ev->dst.has_name ? ev->dst.name : NULL, NULL };

	if (ev->src.has_name && strlen(ev->src.name) > HOST_NAME_LEN)
		abort();
	fuzz_check_line(line, render_event(tpl, ev, &n, 1, line, sizeof(line)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct event ev[3];
	char err[128];
	size_t off = 0, n, total = 0;

	if (tpl == NULL)
		tpl = render_compile(FUZZ_TEMPLATE, err, sizeof(err));
	memset(ev, 0, sizeof(ev));
	for (int i = 0; i < 3; i++)
		ev[i].router.addr.ss_family = AF_INET;
	/* Three at a time, so that resuming is fuzzed too. */
	do {
		n = parse_events((const char *)data, size, &off, ev, 3);
		for (size_t i = 0; i < n; i++)
			check(&ev[i]);
		total += n;
	} while (n == 3);
	if (off != size || parse_count((const char *)data, size) != total)
		abort();
	return 0;
}
