/*
 * fuzz_config - the configuration loader: any file either loads and
 * builds, or is refused with a message; never a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conffile.h"
#include "options.h"
#include "runtime.h"
#include "settings.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct options o;
	char path[64], err[8192];
	int fd = memfd_create("linklog-fuzz.conf", 0);
	FILE *null;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	settings_defaults(&o);
	if (conffile_load(path, &o, err, sizeof(err)) == 0) {
		struct runtime *rt = runtime_build(&o, err, sizeof(err));
		runtime_free(rt);
		if ((null = fopen("/dev/null", "w")) != NULL) {
			settings_print(&o, null);
			fclose(null);
		}
	} else if (err[0] == '\0') {
		abort();
	}
	conffile_free(&o);
	close(fd);
	return 0;
}
