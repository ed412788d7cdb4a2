/*
 * capture.c - standard error into a temporary file, read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "capture.h"

static FILE *captured;
static int saved_stderr = -1;

void
capture_start(void)
{
	if ((captured = tmpfile()) == NULL ||
	    (saved_stderr = dup(STDERR_FILENO)) < 0 ||
	    dup2(fileno(captured), STDERR_FILENO) < 0)
		abort();
}

const char *
capture_take(void)
{
	static char text[65536];
	size_t n;

	rewind(captured);
	n = fread(text, 1, sizeof(text) - 1, captured);
	text[n] = '\0';
	if (ftruncate(fileno(captured), 0) < 0)
		abort();
	rewind(captured);
	return text;
}

void
capture_stop(void)
{
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	fclose(captured);
}

int
capture_lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}
