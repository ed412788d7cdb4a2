/*
 * fuzz_jsoncheck.h - shared by the harnesses that render JSON: a line must
 * be exactly one JSON object (json-c's strict parser, UTF-8 validated,
 * nothing after it), on one line, with a valid @timestamp, else abort()
 * so libFuzzer records it.
 */
#ifndef LINKLOG_FUZZ_JSONCHECK_H
#define LINKLOG_FUZZ_JSONCHECK_H

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

/* An RFC 3339 date-time as json.c writes it, "2026-12-01T03:27:22.123Z":
 * digits where digits go, a month 01-12, a day 01-31, else abort(). */
static inline void
fuzz_json_check_time(json_object *obj)
{
	static const char form[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	json_object *m;
	const char *t;
	int month, day;

	if (!json_object_object_get_ex(obj, "@timestamp", &m) ||
	    json_object_get_type(m) != json_type_string ||
	    json_object_get_string_len(m) != (int)sizeof(form) - 1)
		abort();
	t = json_object_get_string(m);
	for (size_t i = 0; i < sizeof(form) - 1; i++)
		if (form[i] == 'd' ? t[i] < '0' || t[i] > '9' : t[i] != form[i])
			abort();
	month = (t[5] - '0') * 10 + t[6] - '0';
	day = (t[8] - '0') * 10 + t[9] - '0';
	if (month < 1 || month > 12 || day < 1 || day > 31 ||
	    (t[11] - '0') * 10 + t[12] - '0' > 23)
		abort();
}

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
	fuzz_json_check_time(obj);
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
