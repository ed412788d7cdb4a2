/*
 * fuzz_template - the template compiler: any text either compiles or is
 * refused with a message; what compiles renders one line, in one pass.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "render.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[RENDER_LINE_MAX];
	char *text = malloc(size + 1), err[512];
	struct template *t;
	struct event ev;
	struct render_names n = { "a%s\n", "b\033", "c" };

	memcpy(text, data, size);
	text[size] = '\0';
	t = render_compile(text, err, sizeof(err));
	if (t != NULL) {
		memset(&ev, 0, sizeof(ev));
		ev.router.addr.ss_family = AF_INET;
		ev.time = 1700000000;
		size_t len = render_event(t, &ev, &n, 1, line, sizeof(line));
		if (strlen(line) != len || memchr(line, '\n', len))
			abort();
		render_free(t);
	} else if (err[0] == '\0') {
		abort();                /* refused without a reason */
	}
	free(text);
	return 0;
}
