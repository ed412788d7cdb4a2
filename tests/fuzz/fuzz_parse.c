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
check(void *arg, struct event *ev)
{
	static char line[RENDER_LINE_MAX];
	struct render_names n = { ev->src.has_name ? ev->src.name : NULL,
	    ev->dst.has_name ? ev->dst.name : NULL, NULL };

	(void)arg;
	if (ev->src.has_name && strlen(ev->src.name) > HOST_NAME_LEN)
		abort();
	fuzz_check_line(line, render_event(tpl, ev, &n, 1, line, sizeof(line)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct event ev;
	char err[128];

	if (tpl == NULL)
		tpl = render_compile(FUZZ_TEMPLATE, err, sizeof(err));
	memset(&ev, 0, sizeof(ev));
	ev.router.addr.ss_family = AF_INET;
	parse_messages((const char *)data, size, &ev, check, NULL);
	return 0;
}
