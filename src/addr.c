/*
 * addr.c - address formatting without the locale or stdio on the hot path,
 * and addr_like_name(), the one rule for names that look like addresses.
 */
#include <arpa/inet.h>
#include <string.h>

#include "addr.h"

size_t
addr_format_ipv4(struct in_addr a, char *buf)
{
	uint32_t v = ntohl(a.s_addr);
	char *p = buf;

	for (int shift = 24; shift >= 0; shift -= 8) {
		unsigned o = (v >> shift) & 0xff;
		if (o >= 100)
			*p++ = (char)('0' + o / 100);
		if (o >= 10)
			*p++ = (char)('0' + o / 10 % 10);
		*p++ = (char)('0' + o % 10);
		if (shift > 0)
			*p++ = '.';
	}
	*p = '\0';
	return (size_t)(p - buf);
}

size_t
addr_format(const struct sockaddr *sa, char *buf, size_t size)
{
	const struct sockaddr_in6 *s6;
	struct in_addr v4;

	if (size < ADDR_TEXT_LEN) {
		if (size > 0)
			buf[0] = '\0';
		return 0;
	}
	if (sa->sa_family == AF_INET)
		return addr_format_ipv4(((const struct sockaddr_in *)sa)->sin_addr,
		    buf);
	if (sa->sa_family != AF_INET6) {
		strcpy(buf, "?");
		return 1;
	}
	s6 = (const struct sockaddr_in6 *)sa;
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		memcpy(&v4.s_addr, &s6->sin6_addr.s6_addr[12], 4);
		return addr_format_ipv4(v4, buf);
	}
	if (inet_ntop(AF_INET6, &s6->sin6_addr, buf, (socklen_t)size) == NULL) {
		strcpy(buf, "?");
		return 1;
	}
	return strlen(buf);
}

static size_t
address_at(const char *p, const char *chars, int family)
{
	char buf[ADDR_TEXT_LEN];
	unsigned char a[16];
	size_t n = strspn(p, chars);

	/* Up to the last character that can end an address. */
	while (n > 0 && p[n - 1] == '.')
		n--;
	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (family == AF_INET6 && strchr(buf, ':') == NULL)
		return 0;
	return inet_pton(family, buf, a) == 1 ? n : 0;
}

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/*
 * Whether name begins with an address that the rest does not turn into a
 * name: "10.0.0.1:80", "[10.0.0.1]", "10.0.0.1/32", "10.0.0.1..",
 * "::1%lo" read as that address at a glance in a line.  A dotted quad
 * followed by a letter or digit, or by a dot and a label
 * ("1.2.3.4.static.example"), is a name.
 */
static int
starts_like_address(const char *name)
{
	const char *p = name;
	size_t n;

	while (*p == '[' || *p == '(' || *p == ' ')
		p++;
	if ((n = address_at(p, "0123456789.", AF_INET)) == 0 &&
	    (n = address_at(p, "0123456789abcdefABCDEF:.", AF_INET6)) == 0)
		return 0;
	p += n;
	if (*p == '.' && is_alnum(p[1]))
		return 0;
	return !is_alnum(*p);
}

int
addr_like_name(const char *name)
{
	char buf[ADDR_TEXT_LEN];
	struct in_addr a4;
	struct in6_addr a6;
	size_t len = strlen(name), start;
	int digits = 0;

	/* One trailing dot (the root) is not a label of its own. */
	if (len > 0 && name[len - 1] == '.')
		len--;
	start = len;
	while (start > 0 && name[start - 1] != '.')
		start--;
	for (size_t i = start; i < len; i++) {
		if (name[i] < '0' || name[i] > '9') {
			digits = 0;
			break;
		}
		digits = 1;
	}
	if (digits || starts_like_address(name))
		return 1;
	if (len >= sizeof(buf))
		return 0;       /* longer than any address text */
	memcpy(buf, name, len);
	buf[len] = '\0';
	return inet_aton(buf, &a4) != 0 || inet_pton(AF_INET6, buf, &a6) == 1;
}

void
addr_key(const struct sockaddr *sa, uint8_t *family, uint8_t addr[16])
{
	const struct in6_addr *a6;

	memset(addr, 0, 16);
	if (sa->sa_family == AF_INET) {
		*family = AF_INET;
		memcpy(addr, &((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr, 4);
		return;
	}
	a6 = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	if (IN6_IS_ADDR_V4MAPPED(a6)) {
		*family = AF_INET;
		memcpy(addr, &a6->s6_addr[12], 4);
	} else {
		*family = AF_INET6;
		memcpy(addr, a6, 16);
	}
}
