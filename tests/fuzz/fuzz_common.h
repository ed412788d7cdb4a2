/*
 * fuzz_common.h - shared by the libFuzzer harnesses: the invariant every
 * rendered line must keep (one line, printable ASCII only), checked by
 * aborting so that libFuzzer records the input.
 */
#ifndef LINKLOG_FUZZ_COMMON_H
#define LINKLOG_FUZZ_COMMON_H

#include <stdlib.h>
#include <string.h>

/* Every token of the template language, and literal text around them. */
#define FUZZ_TEMPLATE "%t|%I|%a|%A|%s|%d|%S|%D|%i|%p|%T|%h|%m|%M|%w|%y|%Y|%z|%r|%R|%g|%k|%n|%u|%L|%x|%%"

static inline void
fuzz_check_line(const char *line, size_t len)
{
	if (strlen(line) != len)
		abort();                /* a NUL inside the line */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c < 0x20 || c >= 0x7f)
			abort();        /* not escaped */
	}
}

#endif
