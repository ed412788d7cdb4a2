/*
 * fuzz_jsoncheck.h - shared by the harnesses that render JSON: a line must
 * be exactly one JSON object (json-c's strict parser, UTF-8 validated,
 * nothing after it), on one line, else abort() so libFuzzer records it.
 */
#ifndef LINKLOG_FUZZ_JSONCHECK_H
#define LINKLOG_FUZZ_JSONCHECK_H

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

/* Parse text[0..len) or abort; the caller owns (json_object_put) it. */
static inline json_object *
fuzz_json_parse(const char *text, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *obj;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len ||
	    json_object_get_type(obj) != json_type_object)
		abort();
	json_tokener_free(tok);
	if (strlen(text) != len || memchr(text, '\n', len) != NULL)
		abort();
	return obj;
}

/* A whole line, with or without the "@cee: " cookie. */
static inline void
fuzz_json_check_line(const char *line, size_t len, int cee)
{
	if (cee) {
		if (len < 6 || memcmp(line, "@cee: ", 6) != 0)
			abort();
		line += 6;
		len -= 6;
	}
	json_object_put(fuzz_json_parse(line, len));
}

#endif
